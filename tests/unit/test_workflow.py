"""The transition table: who may move an entry where (pure, no database)."""

import pytest

from ideapankki.models import Entry, EntryState, Role, User
from ideapankki.workflow import TRANSITIONS, find_move, may_act

S = EntryState


def test_table_has_the_designed_edges():
    edges = {(m.source.value, m.target.value) for m in TRANSITIONS}
    assert edges == {
        ("draft", "submitted"), ("returned", "submitted"), ("submitted", "in_review"),
        ("in_review", "published"), ("in_review", "returned"), ("in_review", "rejected"),
        ("published", "archived"),
    }


@pytest.mark.parametrize("source, target", [("draft", "published"), ("rejected", "published"), ("archived", "published")])
def test_shortcuts_are_not_moves(source, target):
    assert find_move(source, target) is None


def test_member_cannot_publish_own_entry():
    member = User(id=1, email="a@kunta.fi", password_hash="x", name="A", role=Role.member.value, organisation_id=7)
    entry = Entry(slug="x", type="idea", title="T", summary="S", state=S.in_review.value, author_id=1, organisation_id=7)
    assert not may_act(member, find_move("in_review", "published"), entry)


def test_member_of_the_organisation_may_submit():
    member = User(id=2, email="b@kunta.fi", password_hash="x", name="B", role=Role.member.value, organisation_id=7)
    entry = Entry(slug="x", type="idea", title="T", summary="S", state=S.draft.value, author_id=1, organisation_id=7)
    assert may_act(member, find_move("draft", "submitted"), entry)


def test_member_of_another_organisation_may_not_submit():
    member = User(id=3, email="c@muu.fi", password_hash="x", name="C", role=Role.member.value, organisation_id=8)
    entry = Entry(slug="x", type="idea", title="T", summary="S", state=S.draft.value, author_id=1, organisation_id=7)
    assert not may_act(member, find_move("draft", "submitted"), entry)


def test_moderator_may_publish():
    moderator = User(id=4, email="m@kuntaliitto.fi", password_hash="x", name="M", role=Role.moderator.value)
    entry = Entry(slug="x", type="idea", title="T", summary="S", state=S.in_review.value, author_id=1)
    assert may_act(moderator, find_move("in_review", "published"), entry)
