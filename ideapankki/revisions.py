"""Edits of published entries: a revision walks the workflow while the published text stays live.

Here are the pending revision of an entry, the state the workflow acts on (the pending revision's,
else the entry's), saving an edit (in place, or as a revision) and applying a published revision.
ideapankki.workflow moves entries and revisions; the rules both follow are in ideapankki.transitions.
"""

from __future__ import annotations

from sqlmodel import Session, select

from .content import EntryDocument, parse, serialize
from .db import lock
from .entries import apply_document, resolve_references, save_document, to_document
from .models import Entry, EntryState, Revision, User
from .reference import MunicipalityIndex
from .transitions import Action, NotAllowed, edit_refusal, may_edit

PENDING = tuple(s.value for s in (EntryState.draft, EntryState.submitted, EntryState.in_review, EntryState.returned))


def pending_revision(session: Session, entry: Entry) -> Revision | None:
    """The edit of a published entry that is still in the workflow, if any."""
    return session.exec(
        select(Revision).where(Revision.entry_id == entry.id,
                               Revision.state.in_(PENDING))
        .order_by(Revision.number.desc())
    ).first()


def subject_state(session: Session, entry: Entry, action: Action | None = None) -> tuple[str, Revision | None]:
    """The state that ACTION works on: the pending edit of a published entry, else the entry."""
    if entry.state == EntryState.published.value and action != Action.archive:
        revision = pending_revision(session, entry)
        if revision is not None:
            return revision.state, revision
    return entry.state, None


def can_edit(session: Session, actor: User, entry: Entry) -> bool:
    """Tell whether ACTOR may edit ENTRY now: the edit rights of the transition table
    (transitions.EDITS) for the state of the entry's workflow subject."""
    state, _revision = subject_state(session, entry)
    return may_edit(actor, entry, state)


def why_not_editable(session: Session, actor: User, entry: Entry) -> str | None:
    """Why ACTOR may not edit ENTRY now (transitions.STATE or ROLE), or None when they may."""
    state, _revision = subject_state(session, entry)
    return edit_refusal(actor, entry, state)


def save_edit(session: Session, entry: Entry, doc: EntryDocument, codes: list[str], actor: User) -> Revision | None:
    """Save ACTOR's edit of ENTRY: in place, or as a revision under review when ENTRY is published."""
    lock(session, entry)  # two saves of one entry at once: the second sees the first's result
    state, _revision = subject_state(session, entry)
    reason = edit_refusal(actor, entry, state)
    if reason is not None:
        raise NotAllowed(f"this entry cannot be edited now: it is {state}", reason)
    doc.slug, doc.type = entry.slug, entry.type  # neither is editable
    doc.published = entry.published_on
    doc.programme = entry.programme_slug  # set by import, not by the form
    if entry.state != EntryState.published.value:
        save_document(session, doc, codes, author=actor)
        return None
    _state, revision = subject_state(session, entry)
    source = serialize(doc)
    if revision is None:
        number = 1 + (session.exec(select(Revision.number).where(Revision.entry_id == entry.id)
                                   .order_by(Revision.number.desc())).first() or 0)
        revision = Revision(entry_id=entry.id, number=number, source=source, author_id=actor.id,
                            editor_id=actor.id, state=EntryState.draft.value)
        session.add(revision)
    else:
        revision.source, revision.editor_id = source, actor.id
    session.flush()
    return revision


def current_document(session: Session, entry: Entry) -> EntryDocument:
    """The text an edit of ENTRY starts from: its pending revision's, else its own."""
    _state, revision = subject_state(session, entry)
    return revision_document(revision, entry) if revision else to_document(entry)


def revision_document(revision: Revision, entry: Entry) -> EntryDocument:
    """Parse a revision's snapshot back into a document."""
    return parse(revision.source, f"{entry.type}/{entry.slug}.md", slug=entry.slug, draft=True)  # checked at submit


def apply_revision(session: Session, entry: Entry, revision: Revision) -> None:
    """Make a reviewed revision the entry's live text."""
    doc = revision_document(revision, entry)
    codes = resolve_references(doc, MunicipalityIndex.from_session(session), f"revision {revision.number}")
    apply_document(session, entry, doc, codes)
