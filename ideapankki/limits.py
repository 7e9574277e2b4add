"""Rate limits of accounts: new entries and previews per hour.

New entries are counted from the entry table itself (author and creation time), so the limit
holds across worker processes and servers on one database, with no counter to keep in step.
Moderators and admins are exempt: they are the association's own staff, who may transcribe a
batch of entries by hand (bulk content goes through `ideapankki import`, which has no author and
no limit). Previews leave nothing behind but cost rendering (Markdown and a similar-entries
search), so each is a row in rate_event, counted the same way, for everyone.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from .models import Entry, RateEvent, User, utcnow

SUBMISSIONS_PER_HOUR = 20  # default of IDEAPANKKI_SUBMISSIONS_PER_HOUR
PREVIEWS_PER_HOUR = 120  # default of IDEAPANKKI_PREVIEWS_PER_HOUR: one every 30 s on average
WINDOW = timedelta(hours=1)


class RateLimited(Exception):
    """LIMIT uses of an action within the last hour; one more fits after RETRY_AFTER seconds."""

    what = "uses"

    def __init__(self, limit: int, retry_after: int):
        self.limit, self.retry_after = limit, retry_after
        super().__init__(f"at most {limit} {self.what} an hour; try again in {retry_after} s")


class TooManySubmissions(RateLimited):
    what = "new entries"


class TooManyPreviews(RateLimited):
    what = "previews"


def _retry_after(oldest: datetime, now: datetime) -> int:
    if oldest.tzinfo is None:  # SQLite keeps no zone; the column is written in UTC
        oldest = oldest.replace(tzinfo=now.tzinfo)
    return max(1, int((oldest + WINDOW - now).total_seconds()) + 1)


def count_preview(session: Session, user: User, per_hour: int = PREVIEWS_PER_HOUR,
                  now: datetime | None = None) -> None:
    """Record a preview by USER, or raise TooManyPreviews when they have had PER_HOUR this hour.

    Rows older than the window are deleted as they are passed. Two workers may both let the
    last one through: a preview more is no harm, the limit is against a flood.
    """
    now = now or utcnow()
    key = f"preview:{user.id}"
    session.exec(sa.delete(RateEvent).where(RateEvent.key == key, RateEvent.at <= now - WINDOW))
    count, oldest = session.exec(select(sa.func.count(), sa.func.min(RateEvent.at)).where(RateEvent.key == key)).one()
    if count >= per_hour:
        raise TooManyPreviews(per_hour, _retry_after(oldest, now))
    session.add(RateEvent(key=key, at=now))


def check_submission_rate(session: Session, author: User, per_hour: int = SUBMISSIONS_PER_HOUR,
                          now: datetime | None = None) -> None:
    """Raise TooManySubmissions when AUTHOR may not start another entry now.

    Call it in the transaction that creates the entry: writing transactions are serialised
    (SQLite BEGIN IMMEDIATE; FOR UPDATE on the account row elsewhere), so two workers cannot
    both see room for the last entry.
    """
    if author.is_moderator:
        return
    now = now or utcnow()
    session.exec(select(User.id).where(User.id == author.id).with_for_update()).first()
    since = now - WINDOW
    recent = session.exec(select(sa.func.count(), sa.func.min(Entry.created_at))
                          .where(Entry.author_id == author.id, Entry.created_at > since)).one()
    count, oldest = recent
    if count < per_hour:
        return
    raise TooManySubmissions(per_hour, _retry_after(oldest, now))
