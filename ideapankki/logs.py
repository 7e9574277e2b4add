"""Structured logs: one JSON object per line on `ideapankki.access` and `ideapankki.audit`, and
gunicorn's error log in the same form (JsonFormatter, used by ideapankki.web.serving.server).

Log collectors parse JSON lines without per-site regexes. The lines carry ids (request,
user, entry), never e-mail addresses, passwords, session tokens or free-text comments.
Audit lines are written after the transaction commits, so a rolled-back move leaves none.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone

from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession

ACCESS = logging.getLogger("ideapankki.access")
AUDIT = logging.getLogger("ideapankki.audit")
SITE = logging.getLogger("ideapankki")  # the package, and Flask's app logger (named after it)
_PENDING = "audit_events"


def emit(logger: logging.Logger, payload: dict) -> None:
    """Log PAYLOAD as one compact JSON line at INFO. The record is made and handled as Logger.info
    does, without looking up the caller's file and line (a walk of the stack, on every request's
    access line): no formatter of these lines shows them."""
    if logger.isEnabledFor(logging.INFO):
        line = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str)
        logger.handle(logger.makeRecord(logger.name, logging.INFO, _NO_FILE, 0, line, None, None))


_NO_FILE = "(unknown file)"  # what logging records when it cannot find the caller


class JsonFormatter(logging.Formatter):
    """Any record as one JSON line, for loggers that write plain text (gunicorn's error log), so a
    collector reading standard error needs no second parser."""

    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "at": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            payload["stack"] = self.formatStack(record.stack_info)
        return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str)


def configure() -> None:
    """Write every log line of the site to standard error as JSON, unless logging is set up already.

    Access and audit lines are JSON already and go out bare, and do not propagate: otherwise
    they would also reach the handler of `ideapankki`, their parent and Flask's app logger.
    That logger, and everything else under `ideapankki` (index warnings, Flask's unhandled
    exceptions), gets JsonFormatter; with a handler there, Flask adds no plain-text one.
    A host that configured the root logger (a WSGI server, pytest's caplog) gets the records
    through propagation instead, so nothing is printed twice.
    """
    for logger in (ACCESS, AUDIT):
        logger.setLevel(logging.INFO)
    if logging.getLogger().handlers:
        return
    for logger, formatter in ((ACCESS, logging.Formatter("%(message)s")), (AUDIT, logging.Formatter("%(message)s")),
                              (SITE, JsonFormatter())):
        if not logger.handlers:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(formatter)
            logger.addHandler(handler)
    ACCESS.propagate = AUDIT.propagate = False
    if SITE.level == logging.NOTSET:
        SITE.setLevel(logging.INFO)


def audit(session: OrmSession, event_name: str, **fields) -> None:
    """Queue an audit line for SESSION's transaction; it is written when the transaction commits."""
    record = {"event": event_name, "at": datetime.now(timezone.utc).isoformat(), **fields}
    session.info.setdefault(_PENDING, []).append(record)


@event.listens_for(OrmSession, "after_commit")
def _write_audit(session: OrmSession) -> None:
    for record in session.info.pop(_PENDING, []):
        emit(AUDIT, record)


@event.listens_for(OrmSession, "after_soft_rollback")
def _drop_audit(session: OrmSession, _previous_transaction) -> None:
    session.info.pop(_PENDING, None)
