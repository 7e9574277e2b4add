"""The transition table: who may move an entry where (pure, no database)."""

from datetime import datetime, timezone

import pytest

from ideapankki.models import Entry, EntryState, Role, User
from ideapankki.workflow import TRANSITIONS, Action, find_move, may

S = EntryState
NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def member(uid=1, org=7, approved=True):
    return User(id=uid, email=f"m{uid}@kunta.fi", password_hash="x", name="M", role=Role.member.value,
                organisation_id=org, email_confirmed_at=NOW, membership_approved_at=NOW if approved else None)


def moderator(uid=9):
    return User(id=uid, email=f"mod{uid}@kuntaliitto.fi", password_hash="x", name="Mod", role=Role.moderator.value,
                email_confirmed_at=NOW)


def entry(state, author=1, org=7):
    return Entry(id=1, slug="x", type="idea", title="T", summary="S", state=state.value, author_id=author,
                 organisation_id=org)


def test_table_has_the_designed_edges():
    edges = {(m.source.value, m.action.value, m.target.value) for m in TRANSITIONS}
    assert edges == {
        ("draft", "submit", "submitted"), ("returned", "submit", "submitted"), ("submitted", "take", "in_review"),
        ("in_review", "publish", "published"), ("in_review", "return", "returned"),
        ("in_review", "reject", "rejected"), ("published", "archive", "archived"),
    }
    assert all(m.needs_comment for m in TRANSITIONS if m.action in (Action.return_, Action.reject))


@pytest.mark.parametrize("source, action", [("draft", Action.publish), ("rejected", Action.publish),
                                            ("archived", Action.publish), ("submitted", Action.publish),
                                            ("published", Action.submit)])
def test_shortcuts_are_not_moves(source, action):
    assert find_move(source, action) is None


def test_member_cannot_publish_even_in_review():
    assert not may(member(), find_move("in_review", Action.publish), entry(S.in_review))


def test_member_of_the_organisation_may_submit():
    assert may(member(uid=2), find_move("draft", Action.submit), entry(S.draft))


def test_unapproved_member_may_not_submit():
    assert not may(member(uid=2, approved=False), find_move("draft", Action.submit), entry(S.draft, author=5))


def test_member_of_another_organisation_may_not_submit():
    assert not may(member(uid=3, org=8), find_move("draft", Action.submit), entry(S.draft))


def test_moderator_may_publish_others_but_not_own_entries():
    move = find_move("in_review", Action.publish)
    assert may(moderator(), move, entry(S.in_review, author=1))
    assert not may(moderator(uid=9), move, entry(S.in_review, author=9))
