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
    """Log PAYLOAD as one compact JSON line at INFO. When the logger's only way out is the bare
    line handler configure() gave it, the line is written to its stream as that handler writes it
    (LineHandler.write_line); otherwise a record is made and handled as Logger.info does, without
    looking up the caller's file and line (a walk of the stack): no formatter of these lines shows them."""
    if logger.isEnabledFor(logging.INFO):
        line = _ENCODER.encode(payload)
        handlers = logger.handlers
        if (len(handlers) == 1 and type(handlers[0]) is LineHandler and not logger.propagate and not logger.filters
                and handlers[0].write_line(line)):
            return
        logger.handle(logger.makeRecord(logger.name, logging.INFO, _NO_FILE, 0, line, None, None))


_NO_FILE = "(unknown file)"  # what logging records when it cannot find the caller
# json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str), whose arguments made it
# build an encoder for every line
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str)


class LineHandler(logging.StreamHandler):
    """The handler of the access and audit lines, which are JSON already: each goes out bare, one a line.

    An access line through logging's machinery (a LogRecord of some twenty attributes, the handler's
    level and filters, Formatter("%(message)s"), the lock, write and flush) cost about as much as the
    rest of the request's hooks together; write_line writes the same bytes with the same lock."""

    def __init__(self, stream=None):
        super().__init__(stream)
        self.setFormatter(logging.Formatter("%(message)s"))
        self.bare = self.formatter

    def write_line(self, line: str) -> bool:
        """Write LINE as emit() would write a record of it (message LINE at INFO); False, with nothing
        written, when a record is needed (the handler was given a filter, a level above INFO or another
        formatter), or when writing failed (the record's way then reports it as logging does)."""
        if self.filters or self.level > logging.INFO or self.formatter is not self.bare:
            return False
        try:
            with self.lock:
                stream = self.stream
                stream.write(line + self.terminator)
                stream.flush()
        except Exception:  # noqa: BLE001 - handled as logging handles it, on the record's way
            return False
        return True


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
    for logger in (ACCESS, AUDIT):
        if not logger.handlers:
            logger.addHandler(LineHandler(sys.stderr))
    if not SITE.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        SITE.addHandler(handler)
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
