"""Trial programme pages, API and feed: published practices only, participants by region, fi/sv."""

import re
from datetime import date
from html.parser import HTMLParser

import feedparser
import pytest

from factories import make_programme
from ideapankki.models import EntryState

UNPUBLISHED = [EntryState.draft, EntryState.submitted, EntryState.in_review, EntryState.returned,
               EntryState.rejected, EntryState.archived]
PAGE = "/programmes/tyollisyys"


class Regions(HTMLParser):
    """Collects the municipality section: each region heading (h3) with the names listed under it."""

    def __init__(self):
        super().__init__()
        self.regions, self._in, self._text = {}, None, ""

    def handle_starttag(self, tag, attrs):
        if tag in ("h3", "a"):
            self._in, self._text = tag, ""

    def handle_data(self, data):
        if self._in:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "h3" and self._in == "h3":
            self._region = self._text.strip()
            self.regions[self._region] = []
        elif tag == "a" and self._in == "a" and self.regions:
            self.regions[self._region].append(self._text.strip())
        if tag == self._in:
            self._in = None


def regions_of(html: str) -> dict[str, list[str]]:
    section = html.split('id="municipalities-title"')[1].split("</section>\n\n")[0]
    parser = Regions()
    parser.feed(section)
    return parser.regions


@pytest.fixture(scope="module")
def shared(module_app, module_session, module_entry_factory):
    """Two programmes, published practices of one, and an unpublished practice in every other state."""
    make_programme(module_session, "tyollisyys", title="Työllisyyden kuntakokeilut 2021–2023",
                   summary="Kunnat hoitivat TE-palveluja.", period_end=date(2023, 6, 30),
                   law_title="Laki työllisyyden edistämisen kuntakokeilusta", law_number="1269/2020",
                   law_confirmed=date(2020, 12, 30), areas=25, participants_total=118,
                   municipalities=["Sotkamo", "Porvoo", "Kajaani"])
    make_programme(module_session, "vanha", title="Kuntakokeilut 2015–2016", period_start=date(2015, 1, 1))
    module_entry_factory("kainuu", title="Kainuun työllisyyskokeilu", programme="tyollisyys",
                         published=date(2022, 5, 25))
    module_entry_factory("omavalmentaja", title="Omavalmentaja", programme="tyollisyys", published=date(2022, 2, 24))
    module_entry_factory("idea", type="idea", title="Irrallinen idea")
    for state in UNPUBLISHED:
        module_entry_factory(f"salainen-{state.value}", state=state, title=f"Salainen kokeilu {state.value}",
                             programme="tyollisyys",
                             published=date(2030, 1, 1) if state == EntryState.archived else None)
    return module_app


def test_list_page_shows_every_programme_with_its_published_practices(reader):
    html = reader.get("/programmes").get_data(as_text=True)
    assert '<h1>Kokeiluohjelmat</h1>' in html
    assert html.index("Työllisyyden kuntakokeilut 2021–2023") < html.index("Kuntakokeilut 2015–2016")
    assert "2 julkaistua kokeilua" in html and "0 julkaistua kokeilua" in html
    assert f'href="{PAGE}"' in html
    assert 'href="/programmes" aria-current="page"' in html  # the main navigation links the list


def test_programme_page_in_finnish(reader):
    response = reader.get(PAGE)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Kokeiluun osallistuu 118 kuntaa; ideapankissa on niistä 3." in html
    assert '<a href="https://www.finlex.fi/fi/lainsaadanto/2020/1269"' in html
    assert "vahvistettu 30.12.2020" in html
    assert '<time datetime="2021-03-01">1.3.2021</time> – <time datetime="2023-06-30">30.6.2023</time>' in html
    assert regions_of(html) == {"Helsinki-Uusimaa": ["Porvoo"], "Kainuu": ["Kajaani", "Sotkamo"]}
    practices = html.split('id="practices-title"')[1]
    assert practices.index("Kainuun työllisyyskokeilu") < practices.index("Omavalmentaja")
    assert "Irrallinen idea" not in html


def test_programme_page_in_swedish_names_regions_and_municipalities_in_swedish(reader):
    html = reader.get(PAGE + "?lang=sv").get_data(as_text=True)
    assert "118 kommuner deltar; idébanken tar upp 3 av dem." in html
    assert regions_of(html) == {"Helsingfors-Nyland": ["Borgå"], "Kajanaland": ["Kajana", "Sotkamo"]}
    assert "<h1>Försöksprogram</h1>" in reader.get("/programmes?lang=sv").get_data(as_text=True)


def test_unpublished_practices_never_appear(reader):
    pages = [reader.get(url).get_data(as_text=True) for url in
             ("/programmes", PAGE, PAGE + "?lang=sv", "/feeds/programme/tyollisyys.atom", "/api/v1/programmes",
              "/api/v1/programmes/tyollisyys")]
    for page in pages:
        assert "Salainen" not in page and "salainen" not in page
    assert '<a href="/entries/kainuu" lang="fi">' in pages[1]  # the published ones are there


def test_practice_page_links_to_its_programme_and_other_entries_do_not(reader):
    html = reader.get("/entries/kainuu").get_data(as_text=True)
    assert re.search(r'<dt>Kokeiluohjelma</dt>\s*<dd><a href="/programmes/tyollisyys" lang="fi">'
                     r'Työllisyyden kuntakokeilut 2021–2023</a></dd>', html)
    assert "Kokeiluohjelma</dt>" not in reader.get("/entries/idea").get_data(as_text=True)


def test_the_entry_pages_programme_is_read_without_a_session(shared, reader, module_session):
    """The pooled read's programme has the session's columns, and the anonymous page opens no session for it."""
    from flask import g

    from ideapankki import programmes
    from ideapankki.web.database import reads
    from ideapankki.web.views.programmes import programme_of

    with shared.test_request_context("/entries/kainuu"):
        read = programmes.read(reads(), "tyollisyys")
        stored = programmes.get(module_session, "tyollisyys")
        columns = [column.key for column in stored.__table__.columns]
        assert [getattr(read, name) for name in columns] == [getattr(stored, name) for name in columns]
        assert programmes.read(reads(), "puuttuu") is None
    with shared.test_request_context("/entries/kainuu"):
        reads()
        found = programme_of(type("Practice", (), {"programme_slug": "tyollisyys"})())
        assert found.title == "Työllisyyden kuntakokeilut 2021–2023" and "db" not in g


def test_unknown_programme_is_404(reader):
    assert reader.get("/programmes/olematon").status_code == 404
    assert reader.get("/feeds/programme/olematon.atom").status_code == 404
    response = reader.get("/api/v1/programmes/olematon")
    assert response.status_code == 404 and response.get_json()["status"] == 404


def test_feed_lists_the_published_practices_and_the_page_advertises_it(reader):
    response = reader.get("/feeds/programme/tyollisyys.atom?lang=sv")
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert feed.bozo == 0
    assert feed.feed.title == "Ideapankki: försöksprogram Työllisyyden kuntakokeilut 2021–2023"
    assert [e.link for e in feed.entries] == ["http://localhost/entries/kainuu", "http://localhost/entries/omavalmentaja"]
    html = reader.get(PAGE).get_data(as_text=True)
    assert ('<link rel="alternate" type="application/atom+xml" title="Ideapankki: kokeiluohjelma '
            'Työllisyyden kuntakokeilut 2021–2023" href="/feeds/programme/tyollisyys.atom">') in html
    assert '<a href="/feeds/programme/tyollisyys.atom" type="application/atom+xml">' in html
    assert 'href="/feeds/programme/tyollisyys.atom?lang=sv"' in reader.get(PAGE + "?lang=sv").get_data(as_text=True)


def test_api_lists_programmes_and_one_programme_with_published_practices(reader):
    response = reader.get("/api/v1/programmes")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    results = response.get_json()["results"]
    assert [(r["slug"], r["practices"], r["participants_total"], r["participants_listed"]) for r in results] == [
        ("tyollisyys", 2, 118, 3), ("vanha", 0, None, 0)]
    one = reader.get("/api/v1/programmes/tyollisyys")
    assert one.headers["Access-Control-Allow-Origin"] == "*"
    body = one.get_json()
    assert body["law"] == {"title": "Laki työllisyyden edistämisen kuntakokeilusta", "number": "1269/2020",
                           "confirmed": "2020-12-30"}
    assert body["period"] == {"start": "2021-03-01", "end": "2023-06-30"} and body["areas"] == 25
    assert [m["code"] for m in body["municipalities"]] == ["765", "638", "205"]
    assert [e["slug"] for e in body["practice_entries"]] == ["kainuu", "omavalmentaja"]
    assert body["feed"] == "http://localhost/feeds/programme/tyollisyys.atom"


def test_entry_records_name_their_programme(reader):
    assert reader.get("/api/v1/entries/kainuu").get_json()["programme"] == "tyollisyys"
    assert reader.get("/api/v1/entries/idea").get_json()["programme"] is None
