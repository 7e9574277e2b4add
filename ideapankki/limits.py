"""Submission limits: how many new entries one account may write per hour.

Counted from the entry table itself (author and creation time), so the limit holds across
worker processes and servers on one database, with no counter to keep in step. Moderators
and admins are exempt: they are the association's own staff, who may transcribe a batch of
entries by hand (bulk content goes through `ideapankki import`, which has no author and no limit).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from .models import Entry, User, utcnow

SUBMISSIONS_PER_HOUR = 20  # default of IDEAPANKKI_SUBMISSIONS_PER_HOUR
WINDOW = timedelta(hours=1)


class TooManySubmissions(Exception):
    """AUTHOR has written LIMIT new entries within the last hour; one more fits after RETRY_AFTER seconds."""

    def __init__(self, limit: int, retry_after: int):
        self.limit, self.retry_after = limit, retry_after
        super().__init__(f"at most {limit} new entries an hour; try again in {retry_after} s")


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
    if oldest.tzinfo is None:  # SQLite keeps no zone; the column is written in UTC
        oldest = oldest.replace(tzinfo=now.tzinfo)
    raise TooManySubmissions(per_hour, max(1, int((oldest + WINDOW - now).total_seconds()) + 1))
