"""Atom feeds: valid Atom, published entries only, newest first, in the reader's language."""

import re
from datetime import date, timedelta

import feedparser
import pytest

from ideapankki import accounts
from ideapankki.models import EntryState
from ideapankki.web.index import SEARCH_KEY

from factories import make_entry

UNPUBLISHED = [EntryState.draft, EntryState.submitted, EntryState.in_review, EntryState.returned,
               EntryState.rejected, EntryState.archived]


def arrange_bank(app, session):
    """Published entries of every scope, and an unpublished twin in each other state."""
    def entry_factory(slug, **fields):
        return make_entry(session, slug, **fields)

    entry_factory("kainuu", type="practice", title="Kainuun työllisyyskokeilu", summary="Omavalmentaja tukee.",
                  themes=["tyollisyys"], municipalities=["Kajaani"], published=date(2022, 5, 25))
    entry_factory("sotku", type="idea", title="SOTKU-kokeilu", summary="Sosiaaliturva ja työllisyys.",
                  themes=["tyollisyys", "sosiaali-ja-terveys"], municipalities=["Kuhmo"], published=date(2023, 1, 10))
    entry_factory("ryhmat", type="norm", title="Joustavat ryhmäkoot", summary="Ryhmäkoot joustaviksi kokeilussa.",
                  themes=["koulutus"], municipalities=["Kajaani", "Porvoo"], published=date(2021, 3, 1))
    entry_factory("porvoo", type="practice", title="Borgå försök", summary="Ett försök i Borgå.", language="sv",
                  themes=["asuminen"], municipalities=["Porvoo"], published=date(2024, 2, 2))
    organisation = accounts.find_or_create_organisation(session, "Kajaani")
    for state in UNPUBLISHED:
        hidden = entry_factory(f"salainen-{state.value}", state=state, type="practice",
                               title=f"Salainen kokeilu {state.value}", summary="Ei julkinen kokeilu.",
                               themes=["tyollisyys", "koulutus", "asuminen"], municipalities=["Kajaani", "Porvoo"],
                               published=date(2030, 1, 1) if state == EntryState.archived else None)
        hidden.organisation_id = organisation.id
    session.commit()
    app.extensions[SEARCH_KEY].catch_up()


@pytest.fixture(scope="module")
def shared(module_app, module_session):
    """The bank of the tests that only read, arranged once per module (and database kind)."""
    arrange_bank(module_app, module_session)
    return module_app



def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert feed.bozo == 0, (url, feed.get("bozo_exception"))
    assert feed.version == "atom10"
    return feed


def slugs(feed):
    return [e.link.rsplit("/", 1)[1] for e in feed.entries]


@pytest.mark.parametrize("url, expected", [
    ("/feeds/entries.atom", ["porvoo", "sotku", "kainuu", "ryhmat"]),
    ("/feeds/type/practice.atom", ["porvoo", "kainuu"]),
    ("/feeds/type/idea.atom", ["sotku"]),
    ("/feeds/type/norm.atom", ["ryhmat"]),
    ("/feeds/theme/tyollisyys.atom", ["sotku", "kainuu"]),
    ("/feeds/theme/koulutus.atom", ["ryhmat"]),
    ("/feeds/theme/nuoret.atom", []),
    ("/feeds/municipality/205.atom", ["kainuu", "ryhmat"]),
    ("/feeds/municipality/638.atom", ["porvoo", "ryhmat"]),
    ("/feeds/search.atom?q=kokeilu", ["porvoo", "sotku", "kainuu", "ryhmat"]),  # försök: the thesaurus
    ("/feeds/search.atom?q=kokeilu&type=practice", ["porvoo", "kainuu"]),
    ("/feeds/search.atom?type=practice&municipality=638", ["porvoo"]),
    ("/feeds/search.atom?year=2022", ["kainuu"]),
    ("/feeds/search.atom", ["porvoo", "sotku", "kainuu", "ryhmat"]),
])
def test_feeds_list_exactly_the_published_entries_of_their_scope_newest_first(reader, url, expected):
    feed = parse(reader, url)
    assert slugs(feed) == expected
    assert "Salainen" not in reader.get(url).text


def test_feed_entries_carry_id_dates_author_and_categories(app, client, app_session, entry_factory):
    arrange_bank(app, app_session)  # its own, as it adds an entry
    organisation = accounts.find_or_create_organisation(app_session, "Kajaani")
    entry = entry_factory("oma", type="idea", title="Oma idea", summary="Kajaanin idea.", themes=["nuoret"],
                          published=date(2025, 6, 1))
    entry.organisation_id = organisation.id
    app_session.commit()
    feed = parse(client, "/feeds/entries.atom")
    first, kainuu = feed.entries[0], feed.entries[2]
    assert first.id == first.link == "http://localhost/entries/oma"
    assert first.title == "Oma idea" and first.summary == "Kajaanin idea."
    assert first.author == "Kajaani"
    assert kainuu.author == "Ideapankki"
    assert first.published.startswith("2025-06-01T00:00:00")
    assert first.updated >= first.published
    assert [(t.term, t.label) for t in first.tags] == [("idea", "Idea"), ("nuoret", "Nuoret")]
    assert "<h2" in kainuu.content[0].value  # the body, as escaped HTML
    assert feed.feed.updated == max(e.updated for e in feed.entries)
    links = {link.rel: link.href for link in feed.feed.links}
    assert links == {"self": "http://localhost/feeds/entries.atom", "alternate": "http://localhost/entries"}


def test_feed_titles_are_in_the_readers_language(reader):
    assert parse(reader, "/feeds/entries.atom").feed.title == "Ideapankki: uusimmat merkinnät"
    assert parse(reader, "/feeds/type/idea.atom?lang=sv").feed.title == "Ideapankki: Idéer"
    assert parse(reader, "/feeds/theme/tyollisyys.atom?lang=en").feed.title == "Ideapankki: theme Employment"
    assert parse(reader, "/feeds/municipality/638.atom?lang=sv").feed.title == "Ideapankki: Borgå"
    assert parse(reader, "/feeds/municipality/638.atom").feed.title == "Ideapankki: Porvoo"
    sv = parse(reader, "/feeds/search.atom?q=kokeilu&lang=sv")
    assert sv.feed.title == "Ideapankki: sökning ”kokeilu”" and sv.feed.language == "sv"
    labels = {e.link.rsplit("/", 1)[-1]: e.tags[0].label for e in sv.entries}  # type names in Swedish
    assert labels["sotku"] == "Idé" and labels["porvoo"] == "Försök"
    # the feed's id does not depend on the language it is read in
    assert sv.feed.id == parse(reader, "/feeds/search.atom?q=kokeilu").feed.id


def test_a_feed_shows_the_latest_fifty(client, entry_factory):
    start = date(2020, 1, 1)
    for n in range(55):
        entry_factory(f"e{n:02d}", title=f"Kokeilu {n}", published=start + timedelta(days=n))
    feed = parse(client, "/feeds/entries.atom")
    assert slugs(feed) == [f"e{n:02d}" for n in range(54, 4, -1)]


def test_titles_are_escaped_not_markup(client, entry_factory):
    title = 'Kokeilu <script>alert("x")</script> & \'lainaus\''
    entry_factory("vaara", title=title, summary="<b>ei lihavoitu</b>")
    response = client.get("/feeds/entries.atom")
    assert "<script>" not in response.text and "<b>" not in response.text
    entry = feedparser.parse(response.data).entries[0]
    assert entry.title == title


@pytest.mark.parametrize("url", ["/feeds/type/nope.atom", "/feeds/theme/nope.atom", "/feeds/municipality/999.atom",
                                 "/feeds/municipality/Kajaani.atom"])
def test_unknown_scopes_are_404(reader, url):
    assert reader.get(url).status_code == 404


@pytest.mark.parametrize("query", ["type=nope", "theme=nope", "year=abc", "municipality=999", "region=x",
                                   "sort=sideways", "q=" + "a" * 501])
def test_bad_search_parameters_are_400_like_the_search_page(reader, query):
    assert reader.get(f"/search?{query}").status_code == 400
    assert reader.get(f"/feeds/search.atom?{query}").status_code == 400


@pytest.mark.parametrize("query", ["q=kokeilu", "q=kokeilu&theme=tyollisyys", "q=ryhmäkoot", "type=practice",
                                   "municipality=205"])
def test_the_search_feed_agrees_with_the_search_page(reader, query):
    html = reader.get(f"/search?{query}&sort=newest").text
    on_page = re.findall(r'<h3 class="card-title"><a href="/entries/([^"]+)"', html)
    assert on_page
    assert slugs(parse(reader, f"/feeds/search.atom?{query}")) == on_page


def advertised(html):
    """The feed a page names in its <head>, and the visible link to it."""
    head = html.split("</head>")[0]
    found = re.findall(r'<link rel="alternate" type="application/atom\+xml" title="([^"]+)" href="([^"]+)">', head)
    assert len(found) == 1, found
    title, href = found[0]
    body = html.split("</head>")[1]
    assert f'<a href="{href}" type="application/atom+xml">' in body
    return title, href.replace("&amp;", "&")


@pytest.mark.parametrize("page, feed", [
    ("/", "/feeds/entries.atom"),
    ("/entries", "/feeds/entries.atom"),
    ("/entries?type=idea", "/feeds/type/idea.atom"),
    ("/entries?theme=koulutus", "/feeds/theme/koulutus.atom"),
    ("/entries?type=practice&year=2022", "/feeds/search.atom?type=practice&year=2022"),
    ("/themes/tyollisyys", "/feeds/theme/tyollisyys.atom"),
    ("/themes/tyollisyys?type=idea", "/feeds/search.atom?type=idea&theme=tyollisyys"),
    ("/municipalities/205", "/feeds/municipality/205.atom"),
    ("/search?q=kokeilu&type=practice", "/feeds/search.atom?q=kokeilu&type=practice"),
    ("/entries?type=idea&lang=sv", "/feeds/type/idea.atom?lang=sv"),
])
def test_listing_pages_advertise_their_feed(reader, page, feed):
    title, href = advertised(reader.get(page).text)
    assert href == feed
    assert parse(reader, href).feed.title == title


def test_the_search_page_offers_to_follow_the_search(reader):
    html = reader.get("/search?q=kokeilu").text
    assert "Seuraa tätä hakua syötteenä (Atom)" in html
    assert "Follow this search as a feed (Atom)" in reader.get("/search?q=kokeilu&lang=en").text


def test_pages_that_are_not_listings_advertise_no_feed(reader):
    for url in ("/login", "/entries?type=nope"):
        assert "application/atom+xml" not in reader.get(url).text.split("</head>")[0], url


def test_an_entry_page_advertises_its_own_feed(reader):
    head = reader.get("/entries/kainuu").text.split("</head>")[0]
    (link,) = re.findall(r'<link rel="alternate" type="application/atom\+xml"[^>]*>', head)
    assert 'href="/feeds/entry/kainuu.atom"' in link and "title=\"Ideapankki: " in link
    swedish = reader.get("/entries/kainuu?lang=sv").text.split("</head>")[0]
    assert 'href="/feeds/entry/kainuu.atom?lang=sv"' in swedish
    assert reader.get("/feeds/entry/kainuu.atom?lang=sv").status_code == 200
