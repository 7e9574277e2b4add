"""Who has adopted a practice or idea: one mark per organisation and entry (ideapankki.adoptions)."""

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from .accounts import Organisation
from .base import AdoptionStatus, _one_of, _timestamp


class Adoption(SQLModel, table=True):
    """An organisation's mark on a published entry: it has the practice in use (since YEAR), or is interested.

    Marked by a member on behalf of their own organisation; changing the mark updates this row,
    withdrawing it deletes the row. NOTE and LINK are the organisation's own words and address.
    """

    id: Optional[int] = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="entry.id", index=True, ondelete="CASCADE")
    organisation_id: int = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    status: str = Field(max_length=20)
    year: Optional[int] = None  # the year it was taken into use (adopted only)
    note: Optional[str] = Field(default=None, max_length=1000)
    link: Optional[str] = Field(default=None, max_length=2000)
    marked_by: Optional[int] = Field(default=None, foreign_key="account.id", ondelete="SET NULL")
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()

    organisation: Organisation = Relationship(sa_relationship_kwargs={"lazy": "joined"})

    __table_args__ = (
        _one_of("status", AdoptionStatus, "ck_adoption_status"),
        sa.UniqueConstraint("entry_id", "organisation_id", name="uq_adoption_entry_organisation"),
        sa.CheckConstraint("(status = 'adopted') = (year IS NOT NULL)", name="ck_adoption_year"),
        sa.CheckConstraint("year IS NULL OR year BETWEEN 1900 AND 2200", name="ck_adoption_year_range"),
    )
