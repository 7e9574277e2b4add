"""The moderation workflow: the one table of allowed transitions and the one function that moves.

States: draft → submitted → in_review → published | returned | rejected; published → archived.
Every move writes an audit row (Transition) in the same transaction as the state change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from .models import Entry, EntryState, Role, Transition, User, utcnow

S = EntryState

AUTHOR = "author"  # a member of the entry's organisation (or its author)
MODERATOR = "moderator"  # a moderator or an admin


@dataclass(frozen=True)
class Move:
    source: EntryState
    target: EntryState
    who: str
    needs_comment: bool = False


TRANSITIONS: tuple[Move, ...] = (
    Move(S.draft, S.submitted, AUTHOR),
    Move(S.returned, S.submitted, AUTHOR),
    Move(S.submitted, S.in_review, MODERATOR),
    Move(S.in_review, S.published, MODERATOR),
    Move(S.in_review, S.returned, MODERATOR, needs_comment=True),
    Move(S.in_review, S.rejected, MODERATOR, needs_comment=True),
    Move(S.published, S.archived, MODERATOR),
)


class WorkflowError(PermissionError):
    """A transition that is not allowed, or not allowed for this actor."""


def find_move(source: str, target: str) -> Move | None:
    """Return the allowed move from SOURCE to TARGET, or None."""
    return next((m for m in TRANSITIONS if m.source == source and m.target == target), None)


def may_act(actor: User, move: Move, entry: Entry) -> bool:
    """Tell whether ACTOR may make MOVE on ENTRY."""
    if actor.role in (Role.moderator.value, Role.admin.value):
        return True
    if move.who != AUTHOR:
        return False
    return entry.author_id == actor.id or (
        entry.organisation_id is not None and entry.organisation_id == actor.organisation_id
    )


def transition(session: Session, entry: Entry, target: EntryState, actor: User, comment: str | None = None) -> Transition:
    """Move ENTRY to TARGET on behalf of ACTOR, checking the table, and record it in the audit log."""
    move = find_move(entry.state, target.value)
    if move is None:
        raise WorkflowError(f"an entry cannot move from {entry.state} to {target.value}")
    if not may_act(actor, move, entry):
        raise WorkflowError(f"{actor.email} may not move this entry to {target.value}")
    if move.needs_comment and not (comment and comment.strip()):
        raise WorkflowError(f"moving an entry to {target.value} needs a comment")
    return _record(session, entry, target, actor, comment)


def place_by_operator(session: Session, entry: Entry, target: EntryState, comment: str) -> Transition | None:
    """Set ENTRY's state directly as the site operator (CLI import), recorded in the audit log.

    The operator running `ideapankki import --publish` has the server; the audit row has no
    actor and carries the reason, so the log stays complete.
    """
    if entry.state == target.value:
        return None
    return _record(session, entry, target, None, comment)


def _record(session: Session, entry: Entry, target: EntryState, actor: User | None, comment: str | None) -> Transition:
    row = Transition(
        entry_id=entry.id,
        actor_id=actor.id if actor else None,
        from_state=entry.state,
        to_state=target.value,
        comment=comment,
    )
    entry.state = target.value
    entry.updated_at = utcnow()
    if target == S.published and entry.published_on is None:
        entry.published_on = date.today()
    session.add(row)
    session.flush()
    return row
