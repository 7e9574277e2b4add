"""What became of a published norm proposal: the steps a moderator records, the last being its status.

Moderation ends at publication; a norm proposal's real life goes on in ministries and
Parliament. Each step is a dated event; the proposal's status is the latest one. Only
moderators record steps, and only on published norm proposals (checked here, not in templates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from .models import Entry, EntryState, EntryType, NormStatus, NormStatusEvent, User
from .workflow import NotAllowed, WorkflowError

AMENDING_ACT = re.compile(r"^\d{1,5}/\d{4}$")
STATUSES = tuple(s.value for s in NormStatus)


@dataclass
class StatusError(ValueError):
    """A step that cannot be recorded as given; FIELD names the form field at fault."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def record(session: Session, entry: Entry, actor: User | None, status: str, happened_on: date, *,
           note: str = "", amending_act: str | None = None, reason: str | None = None,
           today: date | None = None) -> NormStatusEvent:
    """Add a step to ENTRY's history (not committed). Raises NotAllowed, WorkflowError or StatusError."""
    if actor is None or not actor.is_moderator:
        raise NotAllowed("only moderators record what became of a norm proposal")
    if entry.type != EntryType.norm.value or entry.state != EntryState.published.value:
        raise WorkflowError("steps are recorded only for published norm proposals")
    if status not in STATUSES:
        raise StatusError("status", f"unknown status {status!r}")
    if happened_on > (today or date.today()):
        raise StatusError("happened_on", "the date is in the future")
    amending_act = (amending_act or "").strip() or None
    reason = (reason or "").strip() or None
    if status == NormStatus.law_changed.value:
        if not amending_act or not AMENDING_ACT.match(amending_act):
            raise StatusError("amending_act", "give the number of the amending act, e.g. 1269/2020")
    elif amending_act:
        raise StatusError("amending_act", "an amending act belongs only to a changed law")
    if status == NormStatus.not_proceeding.value and not reason:
        raise StatusError("reason", "say why the proposal does not proceed")
    event = NormStatusEvent(entry_id=entry.id, status=status, happened_on=happened_on, note=note.strip(),
                            amending_act=amending_act, reason=reason, recorded_by=actor.id)
    session.add(event)
    entry.norm_events.append(event)
    return event


def current(entry: Entry) -> NormStatusEvent | None:
    """The latest step of ENTRY (by date, then by recording order), or None."""
    return entry.norm_events[-1] if entry.norm_events else None


def latest_status():
    """SQL for each entry's current status (a correlated subquery), for filters and counts."""
    return (
        select(NormStatusEvent.status)
        .where(NormStatusEvent.entry_id == Entry.id)
        .order_by(NormStatusEvent.happened_on.desc(), NormStatusEvent.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def counts(session: Session) -> dict[str, int]:
    """Published norm proposals per current status ("none" for those with no step yet)."""
    status = sa.func.coalesce(latest_status(), "none")
    rows = session.exec(
        select(status, sa.func.count()).select_from(Entry)
        .where(Entry.state == EntryState.published.value, Entry.type == EntryType.norm.value)
        .group_by(status)
    ).all()
    return dict(rows)
