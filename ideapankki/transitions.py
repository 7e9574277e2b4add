"""The one table of the moderation workflow: the allowed moves, the edit rights, and who may make each.

States: draft → submitted → in_review → published | returned | rejected; published → archived.
An edit of a published entry is a revision that walks the same path while the published text
stays live (ideapankki.revisions). The moves are made by ideapankki.workflow; these rules know
nothing of the database, so they are checked alike in the domain, the views and the tests.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .models import Entry, EntryState, Revision, User

S = EntryState

AUTHOR = "author"  # a member of the entry's organisation, or its author
MODERATOR = "moderator"  # a moderator or an admin


class Action(str, enum.Enum):
    submit = "submit"
    take = "take"  # into review
    publish = "publish"
    return_ = "return"
    reject = "reject"
    archive = "archive"


@dataclass(frozen=True)
class Move:
    source: EntryState
    action: Action
    target: EntryState
    who: str
    needs_comment: bool = False


TRANSITIONS: tuple[Move, ...] = (
    Move(S.draft, Action.submit, S.submitted, AUTHOR),
    Move(S.returned, Action.submit, S.submitted, AUTHOR),
    Move(S.submitted, Action.take, S.in_review, MODERATOR),
    Move(S.in_review, Action.publish, S.published, MODERATOR),
    Move(S.in_review, Action.return_, S.returned, MODERATOR, needs_comment=True),
    Move(S.in_review, Action.reject, S.rejected, MODERATOR, needs_comment=True),
    Move(S.published, Action.archive, S.archived, MODERATOR),
)


@dataclass(frozen=True)
class Edit:
    """WHO may edit an entry whose workflow subject (the entry, or its pending revision) is in STATE."""

    state: EntryState
    who: str


EDITS: tuple[Edit, ...] = (
    Edit(S.draft, AUTHOR),
    Edit(S.returned, AUTHOR),
    Edit(S.published, AUTHOR),  # as a new revision; the published text stays live until it is published
    Edit(S.in_review, MODERATOR),
)


class WorkflowError(ValueError):
    """A move that the table does not allow from the current state (HTTP 409)."""


class NotAllowed(PermissionError):
    """A move or edit this actor may not make (HTTP 403)."""


def find_move(source: str, action: Action) -> Move | None:
    """Return the allowed move for ACTION from SOURCE, or None."""
    return next((m for m in TRANSITIONS if m.source.value == source and m.action == action), None)


def belongs_to(actor: User | None, entry: Entry) -> bool:
    """Tell whether ACTOR wrote ENTRY or is an approved member of its organisation."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return entry.author_id == actor.id or (
        entry.organisation_id is not None and entry.organisation_id == actor.organisation_id
        and actor.membership_approved_at is not None
    )


def can_view(actor: User | None, entry: Entry) -> bool:
    """Published entries are public; the rest only for their organisation and moderators."""
    if entry.state == S.published.value:
        return True
    return actor is not None and getattr(actor, "is_authenticated", False) and (
        actor.is_moderator or belongs_to(actor, entry))


def may_follow_review(actor: User, entry: Entry) -> bool:
    """Moderators and the entry's own organisation see its review page, saved versions and diffs."""
    return actor.is_moderator or belongs_to(actor, entry)


def _acts_as(actor: User | None, who: str, entry: Entry) -> bool:
    if who == MODERATOR:
        return actor is not None and getattr(actor, "is_authenticated", False) and actor.is_moderator
    return belongs_to(actor, entry) and actor.can_submit


def may(actor: User, move: Move, entry: Entry, revision: Revision | None = None) -> bool:
    """Tell whether ACTOR may make MOVE (nobody publishes their own text)."""
    if not _acts_as(actor, move.who, entry):
        return False
    if move.action == Action.publish:
        author_id = revision.author_id if revision is not None else entry.author_id
        return author_id != actor.id
    return True


def may_edit(actor: User, entry: Entry, state: str) -> bool:
    """Tell whether ACTOR may edit ENTRY when its workflow subject is in STATE (the EDITS table)."""
    return any(edit.state.value == state and _acts_as(actor, edit.who, entry) for edit in EDITS)
