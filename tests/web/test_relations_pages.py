"""Typed links on entry pages, in the API and the exports, and proposed through the entry form."""

import pytest

from clients import PASSWORD, post_form, sign_in
from ideapankki import accounts
from ideapankki.models import EntryState, Role
from test_exports import fetch


@pytest.fixture
def linked(client, entry_factory):
    entry_factory("ryhmakoot", type="norm", title="Joustavat ryhmäkoot")
    entry_factory("salainen-normi", type="norm", title="Salainen normi", state=EntryState.submitted)
    entry_factory("pikkuleijonat", type="idea", title="Pikkuleijonat",
                  relations=[{"kind": "needs_norm_change", "entry": "ryhmakoot"},
                             {"kind": "needs_norm_change", "entry": "salainen-normi"}])


def test_both_entry_pages_show_the_link(client, linked):
    idea = client.get("/entries/pikkuleijonat").text
    assert "Tarvitsee normimuutoksen" in idea and 'href="/entries/ryhmakoot"' in idea
    assert "salainen-normi" not in idea and "Salainen normi" not in idea
    norm = client.get("/entries/ryhmakoot").text
    assert "Tarvitsee tämän muutoksen" in norm and 'href="/entries/pikkuleijonat"' in norm


def test_api_and_exports_give_published_links_only(client, linked):
    body = client.get("/api/v1/entries/ryhmakoot").get_json()
    assert body["relations"] == [{"kind": "needs_norm_change", "direction": "incoming", "slug": "pikkuleijonat",
                                  "url": "http://localhost/entries/pikkuleijonat"}]
    every = b"".join(fetch(client, f"/data/{name}") for name in
                     ("ideapankki-entries.json", "ideapankki-entries.csv", "ideapankki-content.zip"))
    assert b"salainen" not in every


def test_an_author_proposes_a_link_and_a_bad_one_gets_a_field_error(app, app_session, linked):
    org = accounts.find_or_create_organisation(app_session, "Kajaani")
    accounts.add_user(app_session, email="maija@kajaani.fi", role=Role.member, password=PASSWORD, organisation=org,
                      name="Maija")
    app_session.commit()
    client = app.test_client()
    sign_in(client)
    data = {"title": "Kuhmon koulukokeilu", "summary": "Kokeillaan ryhmiä.", "language": "fi",
            "municipalities": "Kuhmo", "themes": ["koulutus"], "do": "save",
            "relations-0-kind": "needs_norm_change", "relations-0-entry": "http://localhost/entries/ryhmakoot",
            "relations-1-kind": "based_on", "relations-1-entry": "ei-ole-olemassa"}
    bad = post_form(client, "/new/practice", data)
    assert bad.status_code == 400
    assert 'id="relations-1-entry-error"' in bad.text and "ei-ole-olemassa" in bad.text
    del data["relations-1-kind"], data["relations-1-entry"]
    saved = post_form(client, "/new/practice", data)
    assert saved.status_code == 302
    edit = client.get(saved.headers["Location"]).text
    assert 'value="ryhmakoot"' in edit


def test_entry_page_offers_its_other_language_version(client, entry_factory):
    entry_factory("tyollisyyskokeilut", title="Työllisyyden kuntakokeilut")
    entry_factory("sysselsattningsforsoken", title="Sysselsättningsförsöken", language="sv",
                  relations=[{"kind": "translation_of", "entry": "tyollisyyskokeilut"}])
    page = client.get("/entries/tyollisyyskokeilut").text
    assert "Tämä merkintä muilla kielillä:" in page
    assert '<link rel="alternate" hreflang="sv" href="http://localhost/entries/sysselsattningsforsoken">' in page
    assert 'hreflang="sv" lang="sv">På svenska: Sysselsättningsförsöken</a>' in page
    assert 'id="related-title"' not in page  # the translation is not repeated among the other links
