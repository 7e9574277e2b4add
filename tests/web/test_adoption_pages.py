"""A member marks a practice as in use in their organisation: the entry page's table and map, the mail,
the rules at the door, and the entry's Atom feed."""

import re
from xml.etree import ElementTree

import pytest
from sqlmodel import select

from clients import PASSWORD, post_form, sign_in
from factories import make_entry, make_user
from ideapankki import accounts, entries, revisions, workflow
from ideapankki.models import Adoption, Role
from ideapankki.workflow import Action

ATOM = "{http://www.w3.org/2005/Atom}"


def _post(client, url, data, page="/entries/omavalmentaja"):
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(page).text).group(1)
    return client.post(url, data={**data, "csrf_token": token})


@pytest.fixture
def oulu(app, app_session):
    """A client signed in as Liisa, an approved member of Oulu."""
    org = accounts.find_or_create_organisation(app_session, "Oulu")
    accounts.add_user(app_session, email="liisa@ouka.fi", role=Role.member, password=PASSWORD, organisation=org)
    app_session.commit()
    return sign_in(app.test_client(), "liisa@ouka.fi")


def test_a_member_of_another_municipality_marks_it_in_use_and_the_author_hears(client, oulu, practice, inbox,
                                                                                 app_session):
    before = client.get("/entries/omavalmentaja")
    assert "Kirjaudu merkitsemään" in before.text and "adoption-map" not in before.text
    assert "Set-Cookie" not in before.headers  # the public page stays cacheable
    saved = _post(oulu, "/entries/omavalmentaja/adoption",
                  {"status": "adopted", "year": "2024", "note": "Nuorten palveluissa.", "link": "https://www.ouka.fi/"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("#adoptions-title")
    page = client.get("/entries/omavalmentaja").text
    assert 'id="adoption-map"' in page and "Pohjois-Pohjanmaa" in page
    row = re.search(r"<tr>\s*<th scope=\"row\">Oulu</th>.*?</tr>", page, re.S).group(0)
    assert "Käytössä" in row and "2024" in row and "Nuorten palveluissa." in row
    assert re.search(r"<text[^>]*>Käytössä: 1</text>", page)
    [message] = inbox.messages
    assert message["To"] == "maija@kajaani.fi"
    assert "Oulu" in message["Subject"] and "Omavalmentaja" in message["Subject"]
    body = message.get_body().get_content()
    assert "2024" in body and "http://localhost/entries/omavalmentaja#adoptions-title" in body
    # a changed note is no news; a change of status is
    assert _post(oulu, "/entries/omavalmentaja/adoption",
                 {"status": "adopted", "year": "2023", "note": "Koko kaupungissa."}).status_code == 302
    assert len(inbox.messages) == 1
    assert app_session.exec(select(Adoption.year)).all() == [2023]


def test_bad_input_is_shown_at_the_field_and_nothing_is_saved(oulu, practice, app_session):
    response = _post(oulu, "/entries/omavalmentaja/adoption",
                     {"status": "adopted", "year": "ensi vuonna", "note": "Tärkeä muistiinpano"})
    assert response.status_code == 400
    assert 'id="year-error"' in response.text and 'aria-invalid="true"' in response.text
    assert "Tärkeä muistiinpano" in response.text  # what was typed is kept
    assert "Omavalmentaja" in response.text  # the entry page, whole
    response = _post(oulu, "/entries/omavalmentaja/adoption", {"status": "interested", "link": "www.ouka.fi"})
    assert response.status_code == 400 and 'id="link-error"' in response.text
    assert app_session.exec(select(Adoption)).all() == []


def test_interest_then_withdrawal(client, oulu, practice, app_session):
    assert _post(oulu, "/entries/omavalmentaja/adoption", {"status": "interested"}).status_code == 302
    page = oulu.get("/entries/omavalmentaja").text
    assert "Kiinnostunut" in page and "Peru organisaatiosi merkintä" in page
    assert _post(oulu, "/entries/omavalmentaja/adoption/withdraw", {}).status_code == 302
    assert app_session.exec(select(Adoption)).all() == []
    assert "Yksikään organisaatio ei ole vielä merkinnyt" in client.get("/entries/omavalmentaja").text


def test_the_door_refuses_what_the_rules_refuse(app, client, practice, app_session):
    anonymous = client.post("/entries/omavalmentaja/adoption", data={"status": "interested"})
    assert anonymous.status_code in (302, 400)  # to the log-in page, or refused for its missing token
    own = sign_in(app.test_client(), "maija@kajaani.fi")  # Kajaani's own practice
    assert 'action="/entries/omavalmentaja/adoption"' not in own.get("/entries/omavalmentaja").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', own.get("/account").text).group(1)
    assert own.post("/entries/omavalmentaja/adoption",
                    data={"status": "interested", "csrf_token": token}).status_code == 403
    make_entry(app_session, "normi", type="norm")
    assert own.post("/entries/normi/adoption", data={"status": "interested", "csrf_token": token}).status_code == 409
    assert "adoptions-title" not in client.get("/entries/normi").text
    assert own.post("/entries/ei-ole/adoption", data={"status": "interested", "csrf_token": token}).status_code == 404
    assert app_session.exec(select(Adoption)).all() == []


def test_the_entry_feed_lists_new_adopters_and_versions(client, oulu, practice):
    assert _post(oulu, "/entries/omavalmentaja/adoption", {"status": "adopted", "year": "2025"}).status_code == 302
    page = client.get("/entries/omavalmentaja").text
    assert 'href="/feeds/entry/omavalmentaja.atom"' in page
    feed = client.get("/feeds/entry/omavalmentaja.atom")
    assert feed.mimetype == "application/atom+xml"
    titles = [e.findtext(f"{ATOM}title") for e in ElementTree.fromstring(feed.data).iter(f"{ATOM}entry")]
    assert titles == ["Oulu: käytössä vuodesta 2025", "Julkaistu: Omavalmentaja"]
    assert client.get("/feeds/entry/ei-ole.atom").status_code == 404


def test_a_published_edit_is_a_new_version_in_the_feed(client, practice, member, app_session):
    moderator = make_user(app_session, "moderaattori@kuntaliitto.fi", role=Role.moderator)
    doc = entries.to_document(practice)
    doc.summary = "Uusi tiivistelmä."
    revisions.save_edit(app_session, practice, doc, ["205"], member)
    workflow.act(app_session, practice, Action.submit, member)
    workflow.act(app_session, practice, Action.take, moderator)
    workflow.act(app_session, practice, Action.publish, moderator)
    app_session.commit()
    feed = ElementTree.fromstring(client.get("/feeds/entry/omavalmentaja.atom").data)
    items = [(e.findtext(f"{ATOM}title"), e.find(f"{ATOM}link").get("href")) for e in feed.iter(f"{ATOM}entry")]
    assert items == [("Versio 2 julkaistu: Omavalmentaja", "http://localhost/entries/omavalmentaja/history#version-2"),
                     ("Julkaistu: Omavalmentaja", "http://localhost/entries/omavalmentaja/history#version-1")]


def test_adapted_from_is_shown_on_both_pages(client, practice, app_session):
    make_entry(app_session, "omavalmentaja-oulu", title="Omavalmentaja Oulussa",
               relations=[{"kind": "adapted_from", "entry": "omavalmentaja"}])
    adapted = client.get("/entries/omavalmentaja-oulu").text
    assert re.search(r'Sovellettu merkinnästä: <a href="/entries/omavalmentaja"[^>]*>Omavalmentaja</a>', adapted)
    original = client.get("/entries/omavalmentaja").text
    assert re.search(r'Sovellettu muualla nimellä: <a href="/entries/omavalmentaja-oulu"', original)


def test_a_note_is_text_never_markup(client, oulu, practice):
    assert _post(oulu, "/entries/omavalmentaja/adoption",
                 {"status": "interested", "note": '<script>alert(1)</script><img src=x onerror=alert(2)>'}
                 ).status_code == 302
    page = client.get("/entries/omavalmentaja").text
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_member_says_in_the_form_what_the_entry_is_adapted_from(client, oulu, practice, app_session):
    make_entry(app_session, "normi", type="norm", title="Normi")
    data = {"title": "Omavalmentaja Oulussa", "summary": "Oulun versio.", "language": "fi", "municipalities": "Oulu",
            "do": "save", "relations-0-kind": "adapted_from", "relations-0-entry": "normi"}
    bad = post_form(oulu, "/new/practice", data)
    assert bad.status_code == 400 and 'id="relations-0-kind-error"' in bad.text
    assert "Vain käytäntö tai idea voi olla sovellettu" in bad.text
    data["relations-0-entry"] = "http://localhost/entries/omavalmentaja"
    saved = post_form(oulu, "/new/practice", data)
    assert saved.status_code == 302
    assert 'value="omavalmentaja"' in oulu.get(saved.headers["Location"]).text
