"""What waits for moderators and who is told at once or by digest (ideapankki.moderator_notices)."""

from datetime import date

import pytest

from ideapankki import accounts, moderator_notices, revisions
from ideapankki.content import EntryDocument
from ideapankki.models import EntryState, Role

from factories import make_entry, make_member, make_user


def test_waiting_counts_entries_edits_and_memberships(session):
    assert moderator_notices.waiting(session) == moderator_notices.Waiting(0, 0)
    make_entry(session, "lahetetty", state=EntryState.submitted)
    make_entry(session, "tarkastettavana", state=EntryState.in_review)
    make_entry(session, "luonnos", state=EntryState.draft)
    published = make_entry(session, "julkaistu")
    member = make_member(session)
    published.author_id, published.organisation_id = member.id, member.organisation_id
    edit = revisions.save_edit(session, published, EntryDocument(slug="x", type="practice", title="Uusi",
                                                                 summary="S."), [], member)
    edit.state = EntryState.submitted.value
    waiting_member = make_user(session, "odottaa@kajaani.fi")
    waiting_member.organisation_id = member.organisation_id
    session.commit()
    assert moderator_notices.waiting(session) == moderator_notices.Waiting(in_review=3, memberships=1)
    entries, members = moderator_notices.waiting_work(session)
    assert {e.slug for e in entries} == {"lahetetty", "tarkastettavana", "julkaistu"}
    assert [m.email for m in members] == ["odottaa@kajaani.fi"]


def test_preference_decides_who_is_told_at_once_and_who_gets_a_digest(session):
    at_once = make_user(session, "heti@kuntaliitto.fi", role=Role.moderator)
    daily = make_user(session, "paivittain@kuntaliitto.fi", role=Role.admin)
    member = make_member(session)
    moderator_notices.set_preference(session, daily, "daily")
    with pytest.raises(accounts.AccountError) as refused:
        moderator_notices.set_preference(session, member, "daily")
    assert refused.value.code == "forbidden"
    with pytest.raises(accounts.AccountError):
        moderator_notices.set_preference(session, at_once, "weekly")
    session.commit()
    assert [u.email for u in moderator_notices.immediate_recipients(session)] == ["heti@kuntaliitto.fi"]
    today = date(2026, 12, 6)
    assert [u.email for u in moderator_notices.digest_due(session, today)] == ["paivittain@kuntaliitto.fi"]
    moderator_notices.mark_sent(daily, today)
    session.commit()
    assert moderator_notices.digest_due(session, today) == []
    assert [u.email for u in moderator_notices.digest_due(session, date(2026, 12, 7))] == ["paivittain@kuntaliitto.fi"]
