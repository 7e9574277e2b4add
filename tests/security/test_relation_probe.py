"""The entry form's relation check does not tell a member whether an unpublished entry exists.

Relations resolve only among entries the member may see; an entry they may not see gets exactly
the message of an unknown one, whatever the link's kind (which would otherwise reveal the type) or
language (a translation's check would reveal the language).
"""

from __future__ import annotations

import html
import re

import pytest
from sqlmodel import select

from clients import PASSWORD, sign_in
from ideapankki import accounts, entries
from ideapankki.content import EntryDocument
from ideapankki.models import EntryState, Role, User

FORM = {"title": "Kuhmon koulukokeilu", "summary": "Kokeillaan ryhmiä.", "language": "fi", "municipalities": "Kuhmo",
        "themes": ["koulutus"], "do": "preview"}
KINDS = ("based_on", "needs_norm_change", "translation_of", "similar_to")


@pytest.fixture
def world(app_session, entry_factory):
    own = accounts.find_or_create_organisation(app_session, "Kajaani")
    other = accounts.find_or_create_organisation(app_session, "Vaasa")
    accounts.add_user(app_session, email="maija@kajaani.fi", role=Role.member, password=PASSWORD, organisation=own)
    writer = accounts.add_user(app_session, email="ville@vaasa.fi", role=Role.member, password=PASSWORD,
                               organisation=other)
    app_session.commit()
    for state in (EntryState.draft, EntryState.submitted, EntryState.returned, EntryState.rejected):
        entry = entry_factory(f"vieras-{state.value}", type="norm", language="sv", state=state, commit=False)
        entry.organisation_id, entry.author_id = other.id, writer.id
    entry_factory("julkinen-normi", type="norm", language="sv")
    app_session.commit()


def csrf_token(client, url: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(url).text).group(1)


def relation_error(client, kind: str, slug: str, token: str) -> str:
    """The form's error for a link of KIND to SLUG, posted with the CSRF TOKEN of the client's session
    (read once: the form's page, rendered again for each of the 37 posts, was half of the test)."""
    response = client.post("/new/practice?lang=en",
                           data={**FORM, "relations-0-kind": kind, "relations-0-entry": slug, "csrf_token": token})
    found = re.findall(r'<p class="error" id="relations-0-(?:kind|entry)-error">(.*?)</p>', response.text, re.S)
    return html.unescape(" ".join(found)).replace(slug.rsplit("/", 1)[-1], "SLUG")


def test_an_invisible_entry_answers_as_an_unknown_one(app, world):
    client = app.test_client()
    sign_in(client)
    token = csrf_token(client, "/new/practice?lang=en")
    for kind in KINDS:
        unknown = relation_error(client, kind, "ei-ole-olemassa", token)
        assert unknown and "SLUG" in unknown
        for state in ("draft", "submitted", "returned", "rejected"):
            assert relation_error(client, kind, f"vieras-{state}", token) == unknown, (kind, state)
            assert relation_error(client, kind, f"http://localhost/entries/vieras-{state}", token) == unknown
    assert relation_error(client, "based_on", "julkinen-normi", token) == ""  # what the member may see still links


def test_operator_and_moderator_see_every_target(app_session, world):
    doc = EntryDocument(slug="uusi", type="practice", title="T", summary="S",
                        relations=[{"kind": "needs_norm_change", "entry": "vieras-draft"}])
    moderator = accounts.add_user(app_session, email="moderaattori@kuntaliitto.fi", role=Role.moderator,
                                  password=PASSWORD)
    member = app_session.exec(select(User).where(User.email == "maija@kajaani.fi")).one()
    assert entries.relation_problems(app_session, doc, entries.OPERATOR) == []
    assert entries.relation_problems(app_session, doc, moderator) == []
    assert entries.relation_problems(app_session, doc, member) == [
        ("relations[0].entry", "there is no entry 'vieras-draft' to link to")]
