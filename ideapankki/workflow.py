"""The moderation workflow's one function that moves (`act`), by the table in ideapankki.transitions.

An edit of a published entry is a revision that walks the same path while the published text
stays live (ideapankki.revisions); publishing it applies it to the entry. Every move writes an
audit row (Transition) in the same transaction. The web and the CLI both act through `act`.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

import sqlalchemy as sa
from sqlmodel import Session, select

from . import drafts, logs
from .content import EntryDocument
from .db import lock
from .models import Entry, EntryState, Revision, Transition, User, utcnow
from .revisions import apply_revision, subject_state
from .transitions import (AUTHOR, EDITS, MODERATOR, TRANSITIONS, Action, CommentRequired, Edit, Facts,  # noqa: F401
                          Move, NotAllowed, WorkflowError, belongs_to, can_view, find_move, may, may_edit,
                          may_follow_review, refusal)

S = EntryState


def facts(session: Session, entry: Entry, revision: Revision | None, may_waive: bool = False) -> Facts:
    """What the table's rules need of ENTRY's past: who wrote the text a publish would show (the
    pending edit's author and last editor, else the entry's submitter and the author of its latest
    saved version), who rejected it last, and its appeal."""
    if revision is not None:
        authors = {revision.author_id, revision.editor_id}
    else:
        latest = session.exec(select(Revision.author_id).where(Revision.entry_id == entry.id, Revision.state.is_(None))
                              .order_by(Revision.number.desc())).first()
        authors = {entry.author_id, latest}
    rejected_by, appeal_open, appeal_used = None, False, False
    if entry.state == S.rejected.value:
        moves = session.exec(select(Transition).where(Transition.entry_id == entry.id, Transition.revision_id.is_(None))
                             .order_by(Transition.id)).all()
        rejection = next((t for t in reversed(moves) if t.action == Action.reject.value), None)
        rejected_by = rejection.actor_id if rejection else None
        appeal_used = any(t.action == Action.appeal.value for t in moves)
        appeal_open = bool(moves) and moves[-1].action == Action.appeal.value
    return Facts(frozenset(a for a in authors if a is not None), rejected_by, appeal_open, appeal_used, may_waive)


def allowed_actions(session: Session, actor: User, entry: Entry, may_waive: bool = False) -> list[Action]:
    """The actions ACTOR may take on ENTRY now (for buttons; `act` checks again). With MAY_WAIVE,
    publish is listed for an admin who wrote the text (the form then asks them to waive four eyes)."""
    return [action for action in Action if may_act(session, actor, entry, action, may_waive)]


def may_act(session: Session, actor: User, entry: Entry, action: Action, may_waive: bool = False) -> bool:
    """Tell whether ACTION is among allowed_actions: asks only about that one (a form that sends
    for review when it may need not weigh every other move)."""
    state, revision = subject_state(session, entry, action)
    move = find_move(state, action)
    return move is not None and refusal(actor, move, entry, facts(session, entry, revision, may_waive),
                                        waive=True) is None


class _Unsaved(NamedTuple):
    """What the table's rules read of an entry (transitions.refusal), for one not created yet: an
    Entry instance only to be asked about costs a submission about 1 ms (SQLModel's construction)."""

    state: str
    author_id: int | None
    organisation_id: int | None


def move_for_new(actor: User) -> Move | None:
    """The move that sends an entry ACTOR is about to create (entries.create_entry) for review at
    once, or None when the table does not allow it: asked before anything is written, so that the
    entry is inserted in the move's target state and only its audit row follows (record_new), with
    no UPDATE of the row just inserted. The facts are those of the entry as create_entry writes it:
    a draft of ACTOR's, for ACTOR's organisation, whose one text is ACTOR's (what `act` would read
    back); no other transaction can see it yet, so there is nothing to lock."""
    move = find_move(S.draft.value, Action.submit)
    new = _Unsaved(S.draft.value, actor.id, actor.organisation_id)
    if move is None or refusal(actor, move, new, Facts(frozenset({actor.id}))) is not None:
        return None
    return move


_INSERT_TRANSITION = sa.insert(Transition.__table__)


def record_new(session: Session, entry: Entry, move: Move, actor: User) -> int:
    """The audit row of MOVE (move_for_new) for ENTRY, created by ACTOR in MOVE's target state; its id.
    A statement on the session's connection, as entry_rows inserts the entry (the ORM's flush of
    the one row cost about 0.6 ms); the row's columns are those `act` writes for the move."""
    values = {"entry_id": entry.id, "revision_id": None, "actor_id": actor.id, "from_state": move.source.value,
              "to_state": move.target.value, "comment": None, "action": move.action.value, "waived": False}
    session.flush()  # anything the ORM holds goes first
    row_id = session.connection().execute(_INSERT_TRANSITION, values).inserted_primary_key[0]
    _audit_values(session, row_id, values)
    return row_id


def check(session: Session, entry: Entry, action: Action, actor: User, comment: str | None = None, *,
          waive: bool = False, may_waive: bool = False, text: EntryDocument | None = None) -> tuple[Move, Revision | None]:
    """The move ACTION would make on ENTRY now, or the true reason it would not: WorkflowError (the
    state), NotAllowed (who; its reason), CommentRequired (no comment where the table needs one).
    TEXT: the subject's text as the caller has just saved it in this transaction (a submit checks
    it is complete without reading the entry back)."""
    state, revision = subject_state(session, entry, action)
    move = find_move(state, action)
    if move is None:
        raise WorkflowError(f"cannot {action.value} an entry that is {state}", state)
    reason = refusal(actor, move, entry, facts(session, entry, revision, may_waive), waive)
    if reason is not None:
        raise NotAllowed(f"{actor.email} may not {action.value} this entry ({reason})", reason)
    if action == Action.submit:
        # a draft may be a title alone; review needs more
        drafts.check_complete(text) if text is not None else drafts.check_entry(session, entry)
    if move.needs_comment and not (comment and comment.strip()):
        raise CommentRequired(f"{action.value} needs a comment", state)
    return move, revision


def act(session: Session, entry: Entry, action: Action, actor: User, comment: str | None = None, *,
        waive: bool = False, may_waive: bool = False, text: EntryDocument | None = None) -> Transition:
    """Make ACTION on ENTRY (or its pending edit) for ACTOR; record it in the audit log. WAIVE: an
    admin publishes their own text on a single-moderator site (MAY_WAIVE), recorded as such.
    TEXT: see check."""
    lock(session, entry)  # two moderators taking the same entry: the second sees it taken
    move, revision = check(session, entry, action, actor, comment, waive=waive, may_waive=may_waive, text=text)
    waived = move.rule == "four_eyes" and actor.id in facts(session, entry, revision).text_authors
    if revision is None:
        return _record(session, entry, move, actor, comment, waived)
    row = Transition(entry_id=entry.id, revision_id=revision.id, actor_id=actor.id, from_state=revision.state,
                     to_state=move.target.value, comment=(comment or "").strip() or None, action=action.value,
                     waived=waived)
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
    return _record(session, entry, Move(S(entry.state), Action.publish, target, "operator"), None, comment)


def _record(session: Session, entry: Entry, move: Move, actor: User | None, comment: str | None,
            waived: bool = False) -> Transition:
    target = move.target
    row = Transition(
        entry_id=entry.id,
        actor_id=actor.id if actor else None,
        from_state=entry.state,
        to_state=target.value,
        comment=(comment or "").strip() or None,
        action=move.action.value if actor else None,
        waived=waived,
    )
    entry.state = target.value
    entry.updated_at = utcnow()
    if target == S.published and entry.published_on is None:
        entry.published_on = date.today()
    session.add(row)
    session.flush()
    _audit(session, row)
    return row


_AUDITED = ("entry_id", "revision_id", "actor_id", "from_state", "to_state", "action", "waived")


def _audit(session: Session, row: Transition) -> None:
    """Mirror the audit row to the `ideapankki.audit` log (ids only: comments may name people)."""
    _audit_values(session, row.id, {name: getattr(row, name) for name in _AUDITED})


def _audit_values(session: Session, row_id: int, values: dict) -> None:
    """_audit for a row written as a statement: its id and VALUES (its columns, the comment too)."""
    logs.audit(session, "transition", transition_id=row_id, **{name: values[name] for name in _AUDITED})
