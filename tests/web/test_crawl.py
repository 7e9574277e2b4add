"""sitemap.xml lists exactly the public pages; robots.txt keeps crawlers out of private areas."""

from datetime import date
from urllib.robotparser import RobotFileParser
from xml.etree import ElementTree

import pytest

from ideapankki.models import EntryState

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
UNPUBLISHED = [EntryState.draft, EntryState.submitted, EntryState.in_review, EntryState.returned,
               EntryState.rejected, EntryState.archived]


def sitemap(client) -> dict[str, str | None]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    root = ElementTree.fromstring(response.data)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    return {url.findtext("s:loc", namespaces=NS): url.findtext("s:lastmod", namespaces=NS)
            for url in root.findall("s:url", NS)}


def test_sitemap_lists_exactly_the_published_entries_and_their_pages(client, entry_factory):
    entry_factory("kainuu", themes=["tyollisyys"], municipalities=["Kajaani"], published=date(2022, 5, 25))
    entry_factory("sotku", type="idea", themes=["koulutus"], published=date(2023, 1, 10))
    for state in UNPUBLISHED:
        entry_factory(f"salainen-{state.value}", state=state, themes=["asuminen"], municipalities=["Porvoo"],
                      published=date(2030, 1, 1) if state == EntryState.archived else None)
    urls = sitemap(client)
    entries = {u for u in urls if u.startswith("http://localhost/entries/")}
    assert entries == {"http://localhost/entries/kainuu", "http://localhost/entries/sotku"}
    themes = {u for u in urls if "/themes/" in u}
    assert themes == {"http://localhost/themes/tyollisyys", "http://localhost/themes/koulutus"}
    assert {u for u in urls if "/municipalities/" in u} == {"http://localhost/municipalities/205"}
    assert {"http://localhost/", "http://localhost/entries", "http://localhost/entries?type=norm",
            "http://localhost/accessibility"} <= set(urls)
    for url in entries | themes:
        assert date.fromisoformat(urls[url]) >= date(2022, 5, 25)
    assert not any("salainen" in u for u in urls)
    for url in urls:  # every listed page answers
        assert client.get(url.removeprefix("http://localhost")).status_code == 200, url


def test_empty_bank_has_a_valid_sitemap(module_client):
    urls = sitemap(module_client)
    assert "http://localhost/" in urls and not any("/entries/" in u for u in urls)


def test_robots_allows_the_public_and_points_to_the_sitemap(module_client):
    response = module_client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    lines = response.text.splitlines()
    assert "Sitemap: http://localhost/sitemap.xml" in lines
    assert lines[0] == "User-agent: *"
    for rule in ("Disallow: /moderation", "Disallow: /admin/", "Disallow: /account", "Disallow: /my",
                 "Disallow: /new/", "Disallow: /entries/*/edit"):
        assert rule in lines
    robots = RobotFileParser()
    robots.parse(lines)
    for path in ("/", "/entries", "/entries/kainuu", "/themes/tyollisyys", "/search?q=kokeilu",
                 "/feeds/entries.atom", "/api/v1/search", "/moderation-log", "/sitemap.xml", "/accessibility"):
        assert robots.can_fetch("*", path), path
    for path in ("/moderation", "/moderation/kainuu", "/admin/users", "/account", "/my", "/new/norm", "/login",
                 "/register"):
        assert not robots.can_fetch("*", path), path


@pytest.mark.parametrize("path", ["/entries/kainuu/edit", "/entries/kainuu/revisions", "/entries/kainuu/diff"])
def test_robots_keeps_entry_subpages_for_editors_out(module_client, path):
    rules = [line.split(": ", 1)[1] for line in module_client.get("/robots.txt").text.splitlines()
             if line.startswith("Disallow: /entries/*")]
    assert any(path.endswith(rule.rsplit("/", 1)[1]) for rule in rules), path
