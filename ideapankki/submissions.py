"""What a member's entry form does when saved: a new draft or an edit, sent for review when asked."""

from __future__ import annotations

from sqlmodel import Session

from . import drafts, entries, evidence, revisions, workflow
from .content import EntryDocument
from .models import Entry, EntryState, User
from .transitions import Action


def save(session: Session, user: User, doc: EntryDocument, codes: list[str], entry: Entry | None, *,
         submit: bool, per_hour: int, body_html: str | None = None) -> tuple[Entry, bool]:
    """Save USER's form as a new entry (within PER_HOUR new entries an hour) or as an edit of
    ENTRY; with SUBMIT, also send it for review when the transition table allows it now.
    BODY_HTML: a new entry's body rendered already (entries.save_document).
    Return the entry and whether it was sent. Sending an incomplete text raises drafts.Incomplete
    before anything is written (a draft needs only a title). The form never moves the confirmed
    evidence level."""
    evidence.keep_confirmed(session, doc, entry)
    if submit:
        drafts.check_complete(doc)
    if entry is None:
        move = workflow.move_for_new(user) if submit else None
        entry = entries.create_entry(session, doc, codes, user, per_hour, body_html=body_html,
                                     state=move.target if move else EntryState.draft)
        if move is not None:
            workflow.record_new(session, entry, move, user)
        return entry, move is not None
    revisions.save_edit(session, entry, doc, codes, user)
    if submit and workflow.may_act(session, user, entry, Action.submit):
        workflow.act(session, entry, Action.submit, user, text=doc)  # DOC is complete (checked above)
        return entry, True
    return entry, False
