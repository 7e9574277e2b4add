"""A damaged search index while the site runs: every page but search works, search says why, then heals."""

from __future__ import annotations

import pytest

from ideapankki.web.index import SEARCH_KEY
from index_damage import damage, kinds

NOTICE = {"fi": "Hakuhakemistoa rakennetaan uudelleen", "sv": "Sökindexet byggs om", "en": "The search index is being rebuilt"}
PAGES = ("/", "/entries", "/statistics", "/feeds/entries.atom", "/api/v1/entries", "/sitemap.xml")


@pytest.fixture
def published(app, entry_factory):
    entries = [entry_factory(f"kokeilu-{i}", title=f"Omavalmentaja {i}") for i in range(3)]
    app.extensions[SEARCH_KEY].rebuild()
    return entries


@pytest.mark.parametrize("when", ["running", "start"])
@pytest.mark.parametrize("kind", kinds("delete-folder", "delete-toc", "truncate-segment", "garbage-toc"))
def test_pages_keep_working_and_search_heals(app, client, published, kind, when, another_worker):
    client.get("/search?q=omavalmentaja")  # a warm worker holds open searchers
    damage(app.extensions[SEARCH_KEY].store.root, kind)
    if when == "start":
        app = another_worker()  # a worker started after the damage
        client = app.test_client()
    index = app.extensions[SEARCH_KEY]
    for path in (*PAGES, f"/entries/{published[0].slug}"):
        assert client.get(path).status_code == 200, path
    search = client.get("/search?q=omavalmentaja")
    assert search.status_code in (200, 503)
    index.healer.wait(30)
    client.get("/healthz")  # finds what no search read, and starts the rebuild
    index.healer.wait(30)
    assert client.get("/healthz").get_json()["search"]["index"] == "ok"
    assert client.get("/api/v1/search?q=omavalmentaja").get_json()["total"] == 3
    assert "Omavalmentaja 1" in client.get("/search?q=omavalmentaja").get_data(as_text=True)


@pytest.fixture
def held_damaged(app, published):
    """A damaged index whose rebuild waits: another process holds the writer lock."""
    store = app.extensions[SEARCH_KEY].store
    damage(store.root, "delete-toc")
    with store.writing():
        yield app
    assert app.extensions[SEARCH_KEY].healer.wait(30)


@pytest.mark.parametrize("language", sorted(NOTICE))
def test_search_page_shows_a_notice_in_each_language(held_damaged, language):
    response = held_damaged.test_client().get(f"/search?q=omavalmentaja&lang={language}")
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert NOTICE[language] in response.get_data(as_text=True)


def test_api_answers_503_json_and_health_says_rebuilding(held_damaged, published):
    client = held_damaged.test_client()
    for path in ("/api/v1/search?q=omavalmentaja", "/api/v1/similar?title=omavalmentaja"):
        response = client.get(path)
        assert response.status_code == 503 and response.headers["Retry-After"]
        assert "rebuilt" in response.get_json()["error"] and response.get_json()["status"] == 503
    page = client.get(f"/entries/{published[0].slug}")  # "similar entries" left out silently
    assert page.status_code == 200 and "similar-title" not in page.get_data(as_text=True)
    documented = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert all("Retry-After" in documented[path]["get"]["responses"]["503"]["headers"] for path in ("/search", "/similar"))
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.get_json()["status"] == "degraded" and health.get_json()["search"]["index"] == "rebuilding"
