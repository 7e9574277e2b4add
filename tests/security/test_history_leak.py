"""The public version history shows published texts only: never a draft before publication, nor an
edit that is a draft, submitted, in review, returned or rejected; nor a contact who did not agree.
Each unpublished text carries a marker word that must appear on no public page of the entry."""

from __future__ import annotations

import pytest

from clients import PASSWORD
from ideapankki import accounts, entries, revisions, workflow
from ideapankki.content import EntryDocument
from ideapankki.models import Role

MARKERS = {"draft": "LUONNOSSANA", "submitted": "LÄHETETTYSANA", "in_review": "TARKASTUSSANA",
           "returned": "PALAUTUSSANA", "rejected": "HYLKÄYSSANA"}


def doc(slug, summary, **more):
    return EntryDocument(slug=slug, type="idea", title="Kirjastoauto kyläkouluille", summary=summary,
                         body="Kirjastoauto pysähtyy kouluilla.", **more)


def walk(session, entry, actions, author, moderator, other_moderator):
    for action in actions:
        actor = author if action == "submit" else moderator
        if action == "publish":
            actor = other_moderator
        workflow.act(session, entry, workflow.Action(action), actor, "Perustelu.")
        session.flush()


@pytest.fixture
def history_world(app_session):
    s = app_session
    org = accounts.find_or_create_organisation(s, "Kajaani")
    author = accounts.add_user(s, email="maija@kajaani.fi", role=Role.member, password=PASSWORD, organisation=org,
                               name="Maija")
    mod = accounts.add_user(s, email="mod@kuntaliitto.fi", role=Role.moderator, password=PASSWORD, name="Moderaattori")
    mod2 = accounts.add_user(s, email="mod2@kuntaliitto.fi", role=Role.moderator, password=PASSWORD, name="Julkaisija")
    s.commit()
    # before its first publication: a draft text with a marker, then the text that is published
    entry = entries.create_entry(s, doc("x", f"Ensimmäinen luonnos {MARKERS['draft']}."), [], author)
    revisions.save_edit(s, entry, doc(entry.slug, "Kirjastoauto kiertää viikoittain.",
                                      contacts=[{"name": "Salainen Henkilö", "agreed": False},
                                                {"name": "Julkinen Henkilö"}]), [], author)
    walk(s, entry, ["submit", "take", "publish"], author, mod, mod2)
    # a published edit
    revisions.save_edit(s, entry, doc(entry.slug, "Kirjastoauto kiertää kahdesti viikossa."), [], author)
    walk(s, entry, ["submit", "take", "publish"], author, mod, mod2)
    # edits that never became public, one per state
    for state, actions in (("rejected", ["submit", "take", "reject"]), ("returned", ["submit", "take", "return"])):
        revisions.save_edit(s, entry, doc(entry.slug, f"Muutos {MARKERS[state]}."), [], author)
        walk(s, entry, actions, author, mod, mod2)
        if state == "returned":  # a returned edit stays pending: withdraw it by rejecting it
            walk(s, entry, ["submit", "take", "reject"], author, mod, mod2)
    s.commit()
    return entry.slug, s, author, mod, mod2


def test_the_history_shows_each_published_text_and_nothing_else(app, history_world):
    slug, session, author, mod, mod2 = history_world
    page = app.test_client().get(f"/entries/{slug}/history")
    assert page.status_code == 200
    text = page.text
    assert "kahdesti viikossa" in text and "Julkaisija" in text  # the published edit and who published it
    assert "<del>" in text and "<ins>" in text
    for marker in MARKERS.values():
        assert marker not in text
    assert "Salainen Henkilö" not in text  # did not agree to publication


@pytest.mark.parametrize("state", ["draft", "submitted", "in_review", "returned"])
def test_a_pending_edit_in_any_state_stays_out_of_every_public_page(app, history_world, state):
    slug, session, author, mod, mod2 = history_world
    entry = entries.get_by_slug(session, slug)
    revisions.save_edit(session, entry, doc(slug, f"Kesken {MARKERS[state]}."), [], author)
    steps = {"draft": [], "submitted": ["submit"], "in_review": ["submit", "take"],
             "returned": ["submit", "take", "return"]}[state]
    walk(session, entry, steps, author, mod, mod2)
    session.commit()
    client = app.test_client()
    for url in (f"/entries/{slug}/history", f"/entries/{slug}", f"/api/v1/entries/{slug}"):
        response = client.get(url)
        assert response.status_code == 200 and MARKERS[state] not in response.text, url


def test_an_unpublished_entry_has_no_public_history(app, app_session):
    author = accounts.add_user(app_session, email="v@kajaani.fi", role=Role.member, password=PASSWORD,
                               organisation=accounts.find_or_create_organisation(app_session, "Kajaani"))
    entry = entries.create_entry(app_session, doc("x", f"Luonnos {MARKERS['draft']}."), [], author)
    app_session.commit()
    assert app.test_client().get(f"/entries/{entry.slug}/history").status_code == 404
