"""The moderation workflow's one function that moves (`act`), by the table in ideapankki.transitions.

An edit of a published entry is a revision that walks the same path while the published text
stays live (ideapankki.revisions); publishing it applies it to the entry. Every move writes an
audit row (Transition) in the same transaction. The web and the CLI both act through `act`.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from . import drafts, logs
from .db import lock
from .models import Entry, EntryState, Transition, User, utcnow
from .revisions import apply_revision, subject_state
from .transitions import (AUTHOR, EDITS, MODERATOR, TRANSITIONS, Action, Edit, Move, NotAllowed,  # noqa: F401
                          WorkflowError, belongs_to, can_view, find_move, may, may_edit, may_follow_review)

S = EntryState

def allowed_actions(session: Session, actor: User, entry: Entry) -> list[Action]:
    """The actions ACTOR may take on ENTRY now (for buttons; `act` checks again)."""
    actions = []
    for action in Action:
        state, revision = subject_state(session, entry, action)
        move = find_move(state, action)
        if move is not None and may(actor, move, entry, revision):
            actions.append(action)
    return actions


def act(session: Session, entry: Entry, action: Action, actor: User, comment: str | None = None) -> Transition:
    """Make ACTION on ENTRY (or its pending edit) for ACTOR; record it in the audit log."""
    lock(session, entry)  # two moderators taking the same entry: the second sees it taken
    state, revision = subject_state(session, entry, action)
    move = find_move(state, action)
    if move is None:
        raise WorkflowError(f"cannot {action.value} an entry that is {state}")
    if not may(actor, move, entry, revision):
        raise NotAllowed(f"{actor.email} may not {action.value} this entry")
    if action == Action.submit:
        drafts.check_entry(session, entry)  # a draft may be a title alone; review needs more
    if move.needs_comment and not (comment and comment.strip()):
        raise WorkflowError(f"{action.value} needs a comment for the author")
    if revision is None:
        return _record(session, entry, move.target, actor, comment)
    row = Transition(entry_id=entry.id, revision_id=revision.id, actor_id=actor.id, from_state=revision.state,
                     to_state=move.target.value, comment=(comment or "").strip() or None)
    revision.state = move.target.value
    session.add(row)
    if move.target == S.published:
        apply_revision(session, entry, revision)
    session.flush()
    _audit(session, row)
    return row


def place_by_operator(session: Session, entry: Entry, target: EntryState, comment: str) -> Transition | None:
    """Set ENTRY's state directly as the site operator (CLI import), recorded in the audit log.

    The operator running `ideapankki import --publish` has the server; the audit row has no
    actor and carries the reason, so the log stays complete.
    """
    lock(session, entry)
    if entry.state == target.value:
        return None
    return _record(session, entry, target, None, comment)


def _record(session: Session, entry: Entry, target: EntryState, actor: User | None, comment: str | None) -> Transition:
    row = Transition(
        entry_id=entry.id,
        actor_id=actor.id if actor else None,
        from_state=entry.state,
        to_state=target.value,
        comment=(comment or "").strip() or None,
    )
    entry.state = target.value
    entry.updated_at = utcnow()
    if target == S.published and entry.published_on is None:
        entry.published_on = date.today()
    session.add(row)
    session.flush()
    _audit(session, row)
    return row


def _audit(session: Session, row: Transition) -> None:
    """Mirror the audit row to the `ideapankki.audit` log (ids only: comments may name people)."""
    logs.audit(session, "transition", transition_id=row.id, entry_id=row.entry_id, revision_id=row.revision_id,
               actor_id=row.actor_id, from_state=row.from_state, to_state=row.to_state)
