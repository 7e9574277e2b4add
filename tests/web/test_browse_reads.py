"""An anonymous reader's listing reads without a session: the table at the ETag check's version,
codes checked in its register, the cards, a municipality's row, its peers and its adoption lists
on the request's pooled connection (views/public.py)."""

from clients import sessions_opened


def test_anonymous_listings_open_no_session(app, client, entry_factory):
    entry_factory("kajaani", title="Kajaanin kokeilu", type="practice", themes=["tyollisyys"], municipalities=["Kajaani"])
    entry_factory("idea", title="Idea ilman kuntaa", type="idea")
    seen = sessions_opened(app)
    assert client.get("/entries").status_code == 200  # builds the listing table: a session
    seen.clear()
    for url in ("/entries", "/entries?type=idea", "/entries?page=1&theme=tyollisyys", "/entries?region=FI1D8",
                "/themes/tyollisyys", "/entries?lang=sv", "/entries?type=practice&lang=en", "/municipalities/205",
                "/municipalities/205?type=practice&lang=sv", "/entries?municipality=205"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert page.headers["Cache-Control"].startswith("public"), url
    assert seen == [False] * 10
    assert "Kajaanin kokeilu" in client.get("/entries?region=FI1D8").text


def test_codes_are_checked_in_the_tables_register(client, entry_factory):
    entry_factory("kajaani", title="Kajaanin kokeilu", municipalities=["Kajaani"])
    client.get("/entries")
    assert client.get("/entries?municipality=205").status_code == 200
    assert client.get("/entries?municipality=999").status_code == 400
    assert client.get("/entries?region=XX").status_code == 400
    empty = client.get("/entries?region=FI1B1")  # Uusimaa: in the register, no entries here
    assert empty.status_code == 200 and "Kajaanin kokeilu" not in empty.text
    assert client.get("/municipalities/999").status_code == 404


def test_a_change_shows_at_the_next_listing(client, entry_factory):
    entry_factory("eka", title="Ensimmäinen kokeilu")
    assert "Ensimmäinen kokeilu" in client.get("/entries").text
    entry_factory("toka", title="Toinen kokeilu")
    html = client.get("/entries").text
    assert "Toinen kokeilu" in html and "Ensimmäinen kokeilu" in html
