"""Readers' reports of an error or inappropriate content in a published entry (ideapankki.reports)."""

import enum
from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import _one_of, _timestamp


class ReportReason(str, enum.Enum):
    factual_error = "factual_error"
    outdated = "outdated"
    personal_data = "personal_data"
    inappropriate = "inappropriate"
    other = "other"


class ReportAction(str, enum.Enum):
    edit = "edit"  # the moderator corrected the entry
    archive = "archive"  # the entry was taken down (archived)
    none = "none"  # nothing needed doing


class Report(SQLModel, table=True):
    """One report, open until a moderator resolves it. The reporter's address (for a reply only)
    is deleted when the report is resolved; the rest stays as the record of what was done."""

    id: Optional[int] = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="entry.id", index=True, ondelete="CASCADE")
    reason: str = Field(max_length=20)
    text: str = Field(sa_type=sa.Text)
    email: Optional[str] = Field(default=None, max_length=254)
    created_at: datetime = _timestamp()
    resolved_at: Optional[datetime] = Field(default=None, sa_type=sa.DateTime(timezone=True), index=True)
    resolved_by: Optional[int] = Field(default=None, foreign_key="account.id", ondelete="SET NULL")
    action: Optional[str] = Field(default=None, max_length=10)
    replied: bool = Field(default=False)

    __table_args__ = (
        _one_of("reason", ReportReason, "ck_report_reason"),
        sa.CheckConstraint("action IS NULL OR action IN ('edit', 'archive', 'none')", name="ck_report_action"),
        sa.CheckConstraint("(resolved_at IS NULL) = (action IS NULL)", name="ck_report_resolved"),
        sa.CheckConstraint("resolved_at IS NULL OR email IS NULL", name="ck_report_no_address_kept"),
    )
