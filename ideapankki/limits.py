"""Rate limits: new entries and previews per account, and mail asked for by people not logged in.

New entries are counted from the entry table itself (author and creation time), so the limit
holds across worker processes and servers on one database, with no counter to keep in step.
Moderators and admins are exempt: they are the association's own staff, who may transcribe a
batch of entries by hand (bulk content goes through `ideapankki import`, which has no author and
no limit). Previews leave nothing behind but cost rendering (Markdown and a similar-entries
search), so each is a row in rate_event, counted the same way, for everyone.

Mail on behalf of anonymous requests (registration, password reset, and any later feature that
mails a stranger's address, such as subscriptions) goes through check_mail_rate: per address
and per client, counted in rate_event too (the address as a digest: no address is kept).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

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


def _use(session: Session, limits: list[tuple[str, int, Callable[[int, int], Exception]]], now: datetime) -> None:
    """Record one use under each KEY of LIMITS, or raise ERROR(limit, retry_after) for the first
    key that had LIMIT uses within the window. Rows older than the window are deleted on the way."""
    session.exec(sa.delete(RateEvent).where(RateEvent.at <= now - WINDOW))
    for key, limit, error in limits:
        count, oldest = session.exec(select(sa.func.count(), sa.func.min(RateEvent.at))
                                     .where(RateEvent.key == key)).one()
        if count >= limit:
            raise error(limit, _retry_after(oldest, now))
    session.add_all(RateEvent(key=key, at=now) for key, _limit, _error in limits)
    session.flush()


REPORTS_PER_CLIENT = 10  # an hour; default of IDEAPANKKI_REPORTS_PER_CLIENT


class TooManyReports(RateLimited):
    what = "reports"


def count_report(session: Session, client: str, per_hour: int = REPORTS_PER_CLIENT,
                 now: datetime | None = None) -> None:
    """Record a reader's report from CLIENT (an address), or raise TooManyReports (against a flood,
    like previews: two workers may both let the last one through)."""
    _use(session, [(f"report-from:{client}"[:100], per_hour, TooManyReports)], now or utcnow())


def count_preview(session: Session, user: User, per_hour: int = PREVIEWS_PER_HOUR,
                  now: datetime | None = None) -> None:
    """Record a preview by USER, or raise TooManyPreviews when they have had PER_HOUR this hour.

    Rows older than the window are deleted as they are passed. Two workers may both let the
    last one through: a preview more is no harm, the limit is against a flood.
    """
    _use(session, [(f"preview:{user.id}", per_hour, TooManyPreviews)], now or utcnow())


# Built once and run on the session's connection: a submission asks them under the write lock,
# and the ORM's statement building and result cost five times the query (0.22 against 0.04 ms).
_LOCK_ACCOUNT = sa.select(User.id).where(User.id == sa.bindparam("author")).with_for_update()
_RECENT = sa.select(sa.func.count(), sa.func.min(Entry.created_at)).where(
    Entry.author_id == sa.bindparam("author"), Entry.created_at > sa.bindparam("since"))


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
    session.flush()  # what session.exec's autoflush did: the statements below run on the connection
    connection = session.connection()
    if connection.dialect.name != "sqlite":  # SQLite has no row locks; its writers queue at BEGIN
        connection.execute(_LOCK_ACCOUNT, {"author": author.id}).first()
    count, oldest = connection.execute(_RECENT, {"author": author.id, "since": now - WINDOW}).one()
    if count < per_hour:
        return
    raise TooManySubmissions(per_hour, _retry_after(oldest, now))


MAILS_PER_ADDRESS = 5  # an hour; default of IDEAPANKKI_MAILS_PER_ADDRESS
MAILS_PER_CLIENT = 20  # an hour; default of IDEAPANKKI_MAILS_PER_CLIENT


class TooManyMails(Exception):
    """Too many mail requests for one address (SCOPE "address") or from one client ("client")."""

    def __init__(self, scope: str, limit: int, retry_after: int):
        self.scope, self.limit, self.retry_after = scope, limit, retry_after
        super().__init__(f"at most {limit} mail requests an hour per {scope}; try again in {retry_after} s")


def check_mail_rate(session: Session, address: str, client: str, per_address: int = MAILS_PER_ADDRESS,
                    per_client: int = MAILS_PER_CLIENT, now: datetime | None = None) -> None:
    """Record one anonymous request that may mail ADDRESS, or raise TooManyMails.

    Every request counts, whether or not a mail then goes out (there may be no account for a
    reset): a limit reached only by real mails would tell whether the address has an account.
    Call it in the writing transaction of the request, before deciding anything else; on
    PostgreSQL a transaction-scoped advisory lock serialises the count-then-insert (SQLite's
    writers are serialised already by BEGIN IMMEDIATE).
    """
    now, address = now or utcnow(), address.strip().lower()
    if session.get_bind().dialect.name == "postgresql":
        session.exec(sa.select(sa.func.pg_advisory_xact_lock(0x1DEA_3A11)))
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    _use(session, [(f"mail-to:{digest}", per_address, partial(TooManyMails, "address")),
                   (f"mail-from:{client}"[:100], per_client, partial(TooManyMails, "client"))], now)
