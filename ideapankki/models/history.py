"""Revisions, the audit log of workflow moves, and the change log the search index follows."""

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import EntryState, _one_of, _timestamp


class Revision(SQLModel, table=True):
    """A snapshot of an entry in the content format, one per save; the basis of history and diffs.

    A revision with a state is an edit of a published entry going through review while the
    published text stays live; it is applied to the entry when published. Revisions without
    a state were the entry's own text when saved.
    """

    id: Optional[int] = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="entry.id", index=True, ondelete="CASCADE")
    number: int
    source: str = Field(sa_type=sa.Text)
    state: Optional[str] = Field(default=None, max_length=20)
    author_id: Optional[int] = Field(default=None, foreign_key="account.id")
    # who saved an edit of a published entry last (a moderator may rewrite it in review): four eyes
    editor_id: Optional[int] = Field(default=None, foreign_key="account.id")
    created_at: datetime = _timestamp()

    __table_args__ = (
        sa.UniqueConstraint("entry_id", "number", name="uq_revision_entry_number"),
        sa.CheckConstraint(
            "state IS NULL OR state IN ('draft', 'submitted', 'in_review', 'published', 'returned', 'rejected')",
            name="ck_revision_state",
        ),
    )


class Transition(SQLModel, table=True):
    """Audit log: one row per workflow transition (who, when, from, to, comment)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="entry.id", index=True, ondelete="CASCADE")
    # set when the move concerned an edit (a revision) of a published entry
    revision_id: Optional[int] = Field(default=None, foreign_key="revision.id", ondelete="CASCADE")
    actor_id: Optional[int] = Field(default=None, foreign_key="account.id")
    from_state: str = Field(max_length=20)
    to_state: str = Field(max_length=20)
    comment: Optional[str] = Field(default=None, sa_type=sa.Text)
    # the workflow action (transitions.Action) that made the move; None for the operator's and older rows
    action: Optional[str] = Field(default=None, max_length=20)
    # an admin published their own text on a single-moderator site (IDEAPANKKI_SINGLE_MODERATOR)
    waived: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    at: datetime = _timestamp()

    __table_args__ = (
        _one_of("from_state", EntryState, "ck_transition_from"),
        _one_of("to_state", EntryState, "ck_transition_to"),
    )




class EntryChange(SQLModel, table=True):
    """Change log: one row per flush that touched an entry, written in the same transaction.

    Search indexes (one per server) are projections of the database; each applies these rows
    in id order. No foreign key: the row must outlive a deleted entry so the index learns of it.
    """

    __tablename__ = "entry_change"

    id: Optional[int] = Field(default=None, primary_key=True)
    entry_id: int = Field(index=True)
    at: datetime = _timestamp()
