"""An anonymous reader's search (the page and the API) reads without a session, as a listing does
(views/search.py): codes checked in the listing table's register at the ETag check's version, the
cards on the request's pooled connection; a search that finds nothing near its words reads the
newest entries through a session opened then."""

from clients import sessions_opened

from ideapankki.web.index import SEARCH_KEY


def test_anonymous_searches_open_no_session(app, client, entry_factory):
    entry_factory("kajaani", title="Kajaanin työllisyyskokeilu", type="practice", themes=["tyollisyys"],
                  municipalities=["Kajaani"])
    entry_factory("idea", title="Idea työllisyydestä", type="idea")
    app.extensions[SEARCH_KEY].catch_up()
    seen = sessions_opened(app)
    assert client.get("/search?q=työllisyys").status_code == 200  # builds the listing table: a session
    seen.clear()
    urls = ("/search?q=työllisyys", "/search?q=työllisyys&type=idea&lang=sv", "/search?q=kokeilu&municipality=205",
            "/search?q=työllisyys&region=FI1D8&sort=newest", "/api/v1/search?q=työllisyys",
            "/api/v1/search?q=kajaani&municipality=205", "/search")
    pages = [client.get(url) for url in urls]
    assert [page.status_code for page in pages] == [200] * len(urls)
    assert seen == [False] * len(urls)
    assert "Kajaanin työllisyyskokeilu" in pages[2].text and "Idea työllisyydestä" not in pages[2].text
    assert [hit["slug"] for hit in pages[5].json["results"]] == ["kajaani"]


def test_codes_are_checked_in_the_tables_register(client, entry_factory):
    entry_factory("kajaani", title="Kajaanin kokeilu", municipalities=["Kajaani"])
    assert client.get("/search?q=kokeilu&municipality=205").status_code == 200
    assert client.get("/search?q=kokeilu&municipality=999").status_code == 400
    assert client.get("/api/v1/search?q=kokeilu&region=XX").status_code == 400
    assert client.get("/api/v1/search?q=kokeilu&region=FI1B1").json["total"] == 0  # Uusimaa: in the register


def test_nothing_near_the_words_shows_the_newest_entries_through_a_session(app, client, entry_factory):
    entry_factory("eka", title="Ensimmäinen kokeilu")
    seen = sessions_opened(app)
    html = client.get("/search?q=qqqxxzzv").text
    assert "Ensimmäinen kokeilu" in html and seen == [True]


def test_a_change_shows_at_the_next_search(client, entry_factory):
    entry_factory("eka", title="Ensimmäinen kokeilu")
    assert "Ensimmäinen kokeilu" in client.get("/search?q=kokeilu").text
    entry_factory("toka", title="Toinen kokeilu")
    html = client.get("/search?q=kokeilu").text
    assert "Toinen kokeilu" in html and "Ensimmäinen kokeilu" in html


def test_a_signed_in_readers_search_reads_through_the_session_and_shows_the_same_results(app, client, entry_factory,
                                                                                          app_session):
    """No ETag check for a signed-in reader: the version is the session's read, the cards the session's."""
    from clients import sign_in
    from factories import make_member

    entry_factory("kajaani", title="Kajaanin työllisyyskokeilu", type="practice", municipalities=["Kajaani"])
    entry_factory("idea", title="Idea työllisyydestä", type="idea")
    make_member(app_session)
    app.extensions[SEARCH_KEY].catch_up()
    seen = sessions_opened(app)
    urls = ("/search?q=työllisyys&lang=sv", "/search?q=kokeilu&municipality=205", "/search?q=qqqxxzzv",
            "/api/v1/search?q=työllisyys&type=idea")
    anonymous = [client.get(url) for url in urls]
    member = sign_in(app.test_client())
    seen.clear()
    signed_in = [member.get(url) for url in urls]
    assert seen == [True] * len(urls)
    for url, page, own in zip(urls, anonymous, signed_in):
        if url.startswith("/api/"):
            assert own.get_data() == page.get_data()
        else:
            block = lambda html: html[html.index('<div class="listing">'):html.index("</section>")]  # noqa: E731
            assert block(own.text) == block(page.text), url
            assert "Kirjaudu ulos" in own.text or "Logga ut" in own.text or "Log out" in own.text
