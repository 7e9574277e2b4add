"""What an entry needs before review: a draft may hold only its title.

A member saves a draft with whatever they have (`content.from_mapping(..., draft=True)` asks only
for a title); the fields a moderator needs are checked when the entry is sent for review, by
`submissions.save` before anything is written and by `workflow.act` on every submit.
"""

from __future__ import annotations

from sqlmodel import Session

from .content import EntryDocument
from .models import Entry, EntryType
from .revisions import current_document
from .transitions import WorkflowError

NORM_KEYS = ("laws[0].title", "proposal.action", "proposal.justification", "proposal.proposer_role")


class Incomplete(WorkflowError):
    """Sending for review refused: KEYS (content-format keys) are still empty."""

    def __init__(self, keys: list[str]):
        self.keys = keys
        super().__init__(f"fill in before sending for review: {', '.join(keys)}")


def missing(doc: EntryDocument) -> list[str]:
    """The content-format keys DOC must fill before review: a summary; for a norm proposal also the
    law, the action, the justification and the proposer's role."""
    keys = [] if doc.summary.strip() else ["summary"]
    if doc.type == EntryType.norm.value:
        present = {"laws[0].title": bool(doc.laws and doc.laws[0].get("title"))}
        present.update({f"proposal.{key}": bool(doc.proposal.get(key))
                        for key in ("action", "justification", "proposer_role")})
        keys += [key for key in NORM_KEYS if not present[key]]
    return keys


def check_complete(doc: EntryDocument) -> None:
    """Raise Incomplete unless DOC may be sent for review."""
    keys = missing(doc)
    if keys:
        raise Incomplete(keys)


def check_entry(session: Session, entry: Entry) -> None:
    """Raise Incomplete unless the text ENTRY would send for review (its pending edit's, else its own) is complete."""
    check_complete(current_document(session, entry))
