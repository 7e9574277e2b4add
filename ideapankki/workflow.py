"""The moderation workflow: the one table of allowed transitions and the one function that moves.

States: draft → submitted → in_review → published | returned | rejected; published → archived.
An edit of a published entry is a revision that walks the same path while the published text
stays live; publishing it applies it to the entry. Every move writes an audit row
(Transition) in the same transaction. The web and the CLI both act through `act`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from . import logs
from .db import lock
from .models import Entry, EntryState, Revision, Transition, User, utcnow

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
EDITABLE_BY_AUTHOR = (S.draft.value, S.returned.value)
EDITABLE_BY_MODERATOR = (S.in_review.value,)


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


def pending_revision(session: Session, entry: Entry) -> Revision | None:
    """The edit of a published entry that is still in the workflow, if any."""
    return session.exec(
        select(Revision).where(Revision.entry_id == entry.id,
                               Revision.state.in_((S.draft.value, S.submitted.value, S.in_review.value,
                                                   S.returned.value)))
        .order_by(Revision.number.desc())
    ).first()


def subject_state(session: Session, entry: Entry, action: Action | None = None) -> tuple[str, Revision | None]:
    """The state that ACTION works on: the pending edit of a published entry, else the entry."""
    if entry.state == S.published.value and action != Action.archive:
        revision = pending_revision(session, entry)
        if revision is not None:
            return revision.state, revision
    return entry.state, None


def may(actor: User, move: Move, entry: Entry, revision: Revision | None = None) -> bool:
    """Tell whether ACTOR may make MOVE (nobody publishes their own text)."""
    if move.who == MODERATOR:
        if not actor.is_moderator:
            return False
        if move.action == Action.publish:
            author_id = revision.author_id if revision is not None else entry.author_id
            return author_id != actor.id
        return True
    return belongs_to(actor, entry) and actor.can_submit


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
    if move.needs_comment and not (comment and comment.strip()):
        raise WorkflowError(f"{action.value} needs a comment for the author")
    if revision is None:
        return _record(session, entry, move.target, actor, comment)
    row = Transition(entry_id=entry.id, revision_id=revision.id, actor_id=actor.id, from_state=revision.state,
                     to_state=move.target.value, comment=(comment or "").strip() or None)
    revision.state = move.target.value
    session.add(row)
    if move.target == S.published:
        from .entries import apply_revision  # entries imports this module

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
