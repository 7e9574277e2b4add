"""The transition table: who may move an entry where (pure, no database)."""

from datetime import datetime, timezone

import pytest

from ideapankki.models import Entry, EntryState, Role, User
from ideapankki.transitions import APPEAL_CLOSED, APPEAL_USED, OWN_TEXT, REJECTER, ROLE, Facts, refusal
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
        ("rejected", "appeal", "rejected"), ("rejected", "reopen", "in_review"), ("rejected", "uphold", "rejected"),
    }
    assert all(m.needs_comment for m in TRANSITIONS if m.action in (Action.return_, Action.reject, Action.appeal,
                                                                     Action.reopen, Action.uphold))
    assert {m.action for m in TRANSITIONS if m.irreversible} == {Action.reject, Action.archive, Action.uphold}


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
    assert may(moderator(), move, entry(S.in_review, author=1), Facts(frozenset({1})))
    assert not may(moderator(uid=9), move, entry(S.in_review, author=9), Facts(frozenset({9})))


def test_four_eyes_a_moderator_who_edited_the_text_in_review_may_not_publish_it():
    move = find_move("in_review", Action.publish)
    edited = Facts(frozenset({1, 9}))  # submitted by 1, last edited by moderator 9
    assert refusal(moderator(uid=9), move, entry(S.in_review), edited) == OWN_TEXT
    assert refusal(moderator(uid=10), move, entry(S.in_review), edited) is None


def test_four_eyes_only_an_admin_waives_it_and_only_on_a_single_moderator_site_when_asked():
    move = find_move("in_review", Action.publish)
    admin = User(id=9, email="a@k.fi", password_hash="x", name="A", role=Role.admin.value, email_confirmed_at=NOW)
    own = Facts(frozenset({9}), may_waive=True)
    assert refusal(admin, move, entry(S.in_review), own, waive=True) is None
    assert refusal(admin, move, entry(S.in_review), own, waive=False) == OWN_TEXT
    assert refusal(admin, move, entry(S.in_review), Facts(frozenset({9})), waive=True) == OWN_TEXT
    assert refusal(moderator(uid=9), move, entry(S.in_review), own, waive=True) == OWN_TEXT


def test_the_author_appeals_once_and_another_moderator_decides():
    appeal, reopen = find_move("rejected", Action.appeal), find_move("rejected", Action.uphold)
    assert refusal(member(), appeal, entry(S.rejected), Facts(rejected_by=9)) is None
    assert refusal(member(), appeal, entry(S.rejected), Facts(rejected_by=9, appeal_used=True)) == APPEAL_USED
    assert refusal(member(uid=3, org=8), appeal, entry(S.rejected), Facts()) == ROLE
    waiting = Facts(rejected_by=9, appeal_open=True, appeal_used=True)
    assert refusal(moderator(uid=9), reopen, entry(S.rejected), waiting) == REJECTER
    assert refusal(moderator(uid=10), reopen, entry(S.rejected), waiting) is None
    assert refusal(moderator(uid=10), reopen, entry(S.rejected), Facts(rejected_by=9)) == APPEAL_CLOSED
