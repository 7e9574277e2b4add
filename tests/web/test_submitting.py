"""Submitting made easy to find: the submit page and its links, title-only drafts, the error summary."""

import re

import pytest
from sqlmodel import select

from ideapankki.entries import to_document
from ideapankki.models import Entry

from clients import post_form, sign_in
from factories import make_entry, make_member


@pytest.fixture
def member(app, app_session):
    """An approved member of Kajaani, signed in."""
    make_member(app_session)
    client = app.test_client()
    sign_in(client)
    return client


def summary_links(html: str) -> dict[str, str]:
    """The error summary's links: target id → text."""
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert summary, "no error summary: " + html[html.find("<main"):html.find("<main") + 3000]
    assert "autofocus" in summary.group(0)  # the focus moves to it when the page opens
    return {target: re.sub(r"\s+", " ", text).strip()
            for target, text in re.findall(r'<a href="#([^"]+)">(.*?)</a>', summary.group(0), re.S)}


def test_submit_is_linked_from_the_header_and_the_front_page_for_everyone(client):
    front = client.get("/").text
    assert front.count('href="/submit"') == 2  # the header and the front page's invitation
    assert "Ilmoita kokeilu tai idea" in front
    start = client.get("/submit")
    assert start.status_code == 200
    assert 'href="/login?next=/submit"' in start.text and 'href="/register"' in start.text
    assert "/new/" not in start.text  # the forms need an approved membership


def test_a_member_starts_from_the_submit_page_and_saves_a_draft_with_only_a_title(app, member, app_session):
    start = member.get("/submit").text
    assert all(f'href="/new/{kind}"' in start for kind in ("practice", "idea", "norm"))
    saved = post_form(member, "/new/norm", {"title": "Vain otsikko toistaiseksi", "language": "fi", "do": "save"})
    assert saved.status_code == 302
    entry = app_session.exec(select(Entry)).one()
    assert (entry.state, entry.title, entry.summary) == ("draft", "Vain otsikko toistaiseksi", "")
    # Sending it for review names every field review needs, in the summary at the top, in Finnish.
    sent = post_form(member, f"/entries/{entry.slug}/edit", {"title": entry.title, "language": "fi", "do": "submit"})
    assert sent.status_code == 400
    links = summary_links(sent.text)
    assert set(links) == {"summary", "law_title", "action-0", "justification", "proposer_role-0"}
    assert "Täytä tämä ennen tarkastukseen lähettämistä" in links["summary"]
    app_session.expire_all()
    assert app_session.get(Entry, entry.id).state == "draft"


@pytest.mark.parametrize("lang, expected", [("fi", "Merkintää ”ei-ole-olemassa” ei ole"),
                                            ("sv", "Det finns ingen post ”ei-ole-olemassa”"),
                                            ("en", "There is no entry “ei-ole-olemassa”")])
def test_a_relation_error_is_in_the_summary_in_the_readers_language(app, member, lang, expected):
    answer = post_form(member, f"/new/idea?lang={lang}", {
        "title": "Idea", "summary": "Lyhyesti.", "language": "fi", "do": "save",
        "relations-0-kind": "similar_to", "relations-0-entry": "https://ideapankki.fi/entries/ei-ole-olemassa"})
    assert answer.status_code == 400
    links = summary_links(answer.text)
    assert list(links) == ["relations-0-entry"] and expected in links["relations-0-entry"]
    assert 'id="relations-0-entry-error"' in answer.text
    assert "to link to" not in answer.text or lang == "en"  # no English left in the other languages


def test_the_edit_link_shows_on_an_entry_for_those_who_may_edit_it(app, member, app_session):
    entry = make_entry(app_session, "oma-kokeilu")
    colleague = make_member(app_session, "toinen@kajaani.fi")  # a colleague's entry: the same organisation
    entry.author_id, entry.organisation_id = colleague.id, colleague.organisation_id
    app_session.commit()
    make_member(app_session, "muu@kuhmo.fi", "Kuhmo")
    assert 'href="/entries/oma-kokeilu/edit"' in member.get("/entries/oma-kokeilu").text
    outsider = app.test_client()
    sign_in(outsider, "muu@kuhmo.fi")
    assert "/edit" not in outsider.get("/entries/oma-kokeilu").text
    assert "/edit" not in app.test_client().get("/entries/oma-kokeilu").text


def test_the_norm_preview_shows_the_law_the_action_and_the_justification(app, member):
    preview = post_form(member, "/new/norm?lang=en", {
        "title": "Kevennys", "language": "fi", "do": "preview", "law_title": "Perusopetuslaki", "law_number": "628/1998",
        "law_section": "30 §", "action": "loosen", "justification": "Pienissä kouluissa ryhmät vaihtelevat."})
    assert preview.status_code == 200
    shown = preview.text.split('class="preview"')[1].split("</section>")[0]
    for text in ("Perusopetuslaki 628/1998, 30 §", "Loosen the rule", "Pienissä kouluissa ryhmät vaihtelevat."):
        assert text in shown


def test_the_entry_picker_finds_by_title_and_links_the_picked_entry_without_javascript(app, member, app_session):
    from ideapankki.web.index import SEARCH_KEY
    make_entry(app_session, "tyollisyyden-kuntakokeilu", title="Työllisyyden kuntakokeilu Kainuussa")
    app.extensions[SEARCH_KEY].catch_up()
    typed = {"title": "Kainuun idea", "summary": "Lyhyesti.", "language": "fi", "relations-0-kind": "based_on",
             "relations-0-entry": "työllisyyden kuntakokeilu"}
    found = post_form(member, "/new/idea", {**typed, "find": "0"})
    assert found.status_code == 200 and "error-summary" not in found.text
    assert re.search(r'<input[^>]*name="relations-0-pick"[^>]*value="tyollisyyden-kuntakokeilu"', found.text)
    assert "Työllisyyden kuntakokeilu Kainuussa" in found.text
    nothing = post_form(member, "/new/idea", {**typed, "relations-0-entry": "zxqwv", "find": "0"})
    assert "Hakusanoja vastaavaa julkaistua merkintää ei löytynyt" in nothing.text
    saved = post_form(member, "/new/idea", {**typed, "relations-0-pick": "tyollisyyden-kuntakokeilu", "do": "save"})
    assert saved.status_code == 302
    idea = app_session.exec(select(Entry).where(Entry.title == "Kainuun idea")).one()
    assert to_document(idea).relations == [{"kind": "based_on", "entry": "tyollisyyden-kuntakokeilu"}]
    edit = member.get(saved.headers["Location"]).text
    assert 'name="relations-0-entry" type="text" value="tyollisyyden-kuntakokeilu"' in edit
