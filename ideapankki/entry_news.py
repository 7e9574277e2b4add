"""What is new about one published entry, for its Atom feed: organisations that marked it, and its versions.

The versions are the public version history's (ideapankki.review.published_versions: each text the
public has seen, never a draft or an edit under review), so the feed and the history page agree.
Newest first, at most FEED_SIZE events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from . import adoptions, review
from .feeds import FEED_SIZE
from .models import Entry, EntryState, as_utc


@dataclass(frozen=True)
class News:
    at: datetime
    version: review.PublishedVersion | None = None
    mark: adoptions.Mark | None = None


def news(session: Session, entry: Entry, limit: int = FEED_SIZE) -> list[News]:
    """ENTRY's marks and published versions together, newest first (only for a published entry)."""
    if entry.state != EntryState.published.value:
        return []
    found = [News(as_utc(m.adoption.updated_at), mark=m) for m in adoptions.newest(session, entry, limit)]
    found += [News(v.at, version=v) for v in review.published_versions(session, entry)[:limit]]
    return sorted(found, key=lambda n: n.at, reverse=True)[:limit]
