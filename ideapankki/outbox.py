"""Mail after commit: a message is a row written in the transaction of the change it tells about.

Sending inside the transaction held SQLite's write lock for the whole SMTP exchange, and sent
the message even when the commit then failed. Here `queue` only adds a row; `deliver` sends it
once the transaction has committed (the web layer calls it after the response, see
ideapankki.web). So a message goes out exactly when its change is kept: a rolled-back change
takes its row with it, and an SMTP failure leaves the row (and the change) in place, logged,
for `deliver` to try again (`ideapankki send-mail`).

A row is claimed before it is sent (an UPDATE that only one process can win), so two workers
never send the same message; a claim older than CLAIM_TIMEOUT (a worker killed mid-send) may
be taken again. A sent message's row is deleted: its body may hold a single-use link.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from . import mail
from .db import writing
from .models import OutboxMail, utcnow

log = logging.getLogger(__name__)

CLAIM_TIMEOUT = timedelta(minutes=10)
MAX_ATTEMPTS = 20
QUEUED_KEY = "outbox"  # session.info: ids queued in this session's transaction


def queue(session: Session, to: str, subject: str, body: str, headers: dict[str, str] | None = None) -> OutboxMail:
    """Add a message to SESSION's transaction; it is sent only if that transaction commits.
    HEADERS are further header lines (List-Unsubscribe of a follower's mail)."""
    message = OutboxMail(recipient=to, subject=" ".join(subject.split())[:1000], body=body,
                         headers=json.dumps(headers) if headers else None)
    session.add(message)
    session.flush()
    session.info.setdefault(QUEUED_KEY, []).append(message.id)
    return message


def take_queued(session: Session) -> list[int]:
    """The ids queued in SESSION since the last call (call it right after a successful commit)."""
    return session.info.pop(QUEUED_KEY, [])


def _claim(engine: Engine, mail_id: int, now: datetime) -> OutboxMail | None:
    with Session(writing(engine), expire_on_commit=False) as session:
        claimed = session.exec(sa.update(OutboxMail).where(
            OutboxMail.id == mail_id, OutboxMail.attempts < MAX_ATTEMPTS,
            OutboxMail.claimed_at.is_(None) | (OutboxMail.claimed_at < now - CLAIM_TIMEOUT),
        ).values(claimed_at=now, attempts=OutboxMail.attempts + 1)).rowcount
        session.commit()
        return session.get(OutboxMail, mail_id) if claimed else None


def _finish(engine: Engine, mail_id: int, error: str | None) -> None:
    with Session(writing(engine)) as session:
        rows = sa.delete(OutboxMail) if error is None else sa.update(OutboxMail).values(
            claimed_at=None, last_error=error[:1000])
        session.exec(rows.where(OutboxMail.id == mail_id))
        session.commit()


def deliver(engine: Engine, settings: mail.MailSettings, ids: list[int] | None = None) -> int:
    """Send the committed messages IDS (None: every one waiting); return how many were sent.

    Never raises for a message that cannot be sent: the failure is logged and kept on its row.
    """
    if ids is None:
        with Session(engine) as session:
            ids = list(session.exec(select(OutboxMail.id).order_by(OutboxMail.id)))
    sent = 0
    with mail.Sender(settings) as sender:  # one SMTP connection for the batch
        for mail_id in ids:
            message = _claim(engine, mail_id, utcnow())
            if message is None:
                continue  # already sent, being sent by another process, or given up on
            try:
                sender.send(message.recipient, message.subject, message.body,
                            json.loads(message.headers) if message.headers else None)
            except Exception as exc:  # noqa: BLE001 - SMTP and the network fail in many ways; the row stays
                log.error("mail %s to %s not sent (attempt %s): %s", mail_id, message.recipient,
                          message.attempts, exc)
                _finish(engine, mail_id, f"{type(exc).__name__}: {exc}")
            else:
                _finish(engine, mail_id, None)
                sent += 1
    return sent


def waiting(engine: Engine) -> int:
    """How many messages wait to be sent."""
    with Session(engine) as session:
        return session.exec(select(sa.func.count()).select_from(OutboxMail)).one()


def failed(engine: Engine) -> int:
    """How many messages wait because their last try failed (not those another process is sending)."""
    with Session(engine) as session:
        return session.exec(select(sa.func.count()).select_from(OutboxMail).where(
            OutboxMail.last_error.is_not(None), OutboxMail.claimed_at.is_(None))).one()


def deliver_after_response(engine: Engine, settings: mail.MailSettings, ids: list[int]):
    """A callable for Response.call_on_close: deliver IDS, logging rather than raising."""
    def run() -> None:
        try:
            deliver(engine, settings, ids)
        except Exception:  # noqa: BLE001 - the database itself failed; the rows wait for a retry
            log.exception("mail delivery failed; the messages wait in the outbox")
    return run
