"""Evidence levels of practices (Nesta standards 1–5): the author proposes, a moderator confirms.

The confirmed level (`evidence_level` in the content format) is what readers see, filter and
export; the author's `evidence_proposed` is only a proposal. A member's form can never move the
confirmed level (`keep_confirmed`, applied to every form save); only `confirm` can, by a
moderator, while the entry or its pending edit is in review: it saves the reviewed text with the
level set (keeping the text's author and editor), so the level is published with it and kept in
the revision history. An import (the
operator) writes the confirmed level directly.
"""

from __future__ import annotations

from sqlmodel import Session, select

from . import revisions
from .content import EntryDocument
from .entries import resolve_references
from .models import Entry, EntryState, EntryType, Revision, User
from .reference import MunicipalityIndex
from .structured import EVIDENCE_LEVELS, write
from .transitions import NotAllowed, WorkflowError


def keep_confirmed(session: Session, doc: EntryDocument, entry: Entry | None) -> None:
    """Give DOC the confirmed level ENTRY's current text has (none for a new entry), whatever DOC says."""
    level = revisions.current_document(session, entry).details.get("evidence_level") if entry else None
    doc.details.pop("evidence_level", None)
    if level is not None and doc.type == EntryType.practice.value:
        doc.details = _with_level(doc.details, level)


def confirm(session: Session, actor: User, entry: Entry, level: int | None) -> None:
    """ACTOR (a moderator) sets the confirmed evidence level of ENTRY, a practice in review (None clears it).

    Raises NotAllowed for anyone else, WorkflowError when neither the entry nor an edit of it is in
    review, ValueError for a level outside 1–5.
    """
    if not actor.is_moderator:
        raise NotAllowed("only a moderator confirms an evidence level")
    if entry.type != EntryType.practice.value:
        raise WorkflowError("only practices have an evidence level")
    if level is not None and level not in EVIDENCE_LEVELS:
        raise ValueError(f"{level!r} is not an evidence level (1–5)")
    state, _revision = revisions.subject_state(session, entry)
    if state != EntryState.in_review.value:
        raise WorkflowError("the evidence level is confirmed while the entry is in review")
    doc = revisions.current_document(session, entry)
    doc.details.pop("evidence_level", None)
    if level is not None:
        doc.details = _with_level(doc.details, level)
    codes = resolve_references(doc, MunicipalityIndex.from_session(session), f"{entry.type}/{entry.slug}")
    # Confirming the level is a moderator's decision, not writing the text: the saved version keeps its
    # author and last editor, so the four-eyes rule (transitions.FOUR_EYES) still lets this moderator publish.
    if _revision is not None:
        editor = _revision.editor_id
        revisions.save_edit(session, entry, doc, codes, actor)
        _revision.editor_id = editor
    else:
        author = _latest(session, entry).author_id
        revisions.save_edit(session, entry, doc, codes, actor)
        _latest(session, entry).author_id = author
    session.flush()


def _latest(session: Session, entry: Entry) -> Revision:
    return session.exec(select(Revision).where(Revision.entry_id == entry.id)
                        .order_by(Revision.number.desc())).first()


def _with_level(details: dict, level: int) -> dict:
    """DETAILS with the confirmed LEVEL, in canonical key order."""
    return write({**details, "evidence_level": level})
