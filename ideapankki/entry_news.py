"""What is new about one published entry, for its Atom feed: organisations that marked it, and its versions.

A version is a publication in the audit log (Transition to `published`): the entry's first, and
each edit published since (then the revision's number is known). Drafts and edits still in review
are never listed. Newest first, at most FEED_SIZE events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from . import adoptions
from .feeds import FEED_SIZE
from .models import Entry, EntryState, Revision, Transition, as_utc


@dataclass(frozen=True)
class Version:
    """A publication of ENTRY: its audit row, and the published revision's number (None: the first text)."""

    id: int
    at: datetime
    number: int | None


@dataclass(frozen=True)
class News:
    at: datetime
    version: Version | None = None
    mark: adoptions.Mark | None = None


def versions(session: Session, entry: Entry, limit: int = FEED_SIZE) -> list[Version]:
    """ENTRY's publications, newest first."""
    rows = session.exec(
        select(Transition.id, Transition.at, Revision.number)
        .outerjoin(Revision, Revision.id == Transition.revision_id)
        .where(Transition.entry_id == entry.id, Transition.to_state == EntryState.published.value)
        .order_by(Transition.at.desc(), Transition.id.desc()).limit(limit)
    ).all()
    return [Version(row_id, as_utc(at), number) for row_id, at, number in rows]


def news(session: Session, entry: Entry, limit: int = FEED_SIZE) -> list[News]:
    """ENTRY's marks and versions together, newest first (only for a published entry)."""
    if entry.state != EntryState.published.value:
        return []
    found = [News(as_utc(m.adoption.updated_at), mark=m) for m in adoptions.newest(session, entry, limit)]
    found += [News(v.at, version=v) for v in versions(session, entry, limit)]
    return sorted(found, key=lambda n: n.at, reverse=True)[:limit]
