"""The web layer's database: one engine per app, one session per request.

Reading requests (GET, HEAD, OPTIONS) never take the write lock; every other request's
transaction begins IMMEDIATE (see ideapankki.db), except that a view marked `reads_first` reads
(the account, its form's references, rendering) without the lock until it calls begin_writes():
writers then queue only for the writing itself. The request boundary commits (request_commit.py).
A reading view's fixed statements (db_reads.py) can run on a pooled connection held for the
request (reads()) instead: no session, no transaction of SQLAlchemy's and nothing to commit for
a GET that only reads (an entry page: some 80 µs of session, begin and commit around its reads).
"""

from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from ..db import open_engine, writing
from ..db_reads import Pooled, held_reads

ENGINE_KEY = "ideapankki.engine"
READS_FIRST = "ideapankki_reads_first"  # attribute of a view function (reads_first)
READ_PHASE = "ideapankki.read_phase"  # session.info: a reads_first request has not begun writing


def init_app(app: Flask) -> None:
    app.extensions[ENGINE_KEY] = open_engine(app.config)


def engine(app: Flask | None = None) -> Engine:
    """The app's engine (the current app's by default)."""
    return (app or current_app).extensions[ENGINE_KEY]


def db_session() -> Session:
    """Return this request's database session, opening it on first use."""
    if "db" not in g:
        bound, info = engine(), {}
        if has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS"):
            if getattr(current_app.view_functions.get(request.endpoint), READS_FIRST, False):
                info[READ_PHASE] = True
            else:
                bound = writing(bound)
        g.db = Session(bound, expire_on_commit=False, info=info)
    return g.db


def reads() -> Pooled:
    """This request's connection for db_reads statements (given back at the request's end): on
    SQLite this thread's kept connection (db_reads.Kept), else a pooled one."""
    if "db_reads" not in g:
        g.db_reads = held_reads(engine())
    return g.db_reads


def reading_without_session() -> bool:
    """Whether this request reads on its pooled connection and has opened no session (an anonymous
    page's fixed reads): a helper it calls reads there too rather than open a session for one row."""
    return "db" not in g and "db_reads" in g


def release_reads() -> None:
    held = g.pop("db_reads", None)
    if held is not None:
        held.close()


def reads_first(view):
    """Mark a writing VIEW that has work to do before it writes: its request holds no write lock
    until the view calls begin_writes(). Whatever the writes depend on must be read after that."""
    setattr(view, READS_FIRST, True)
    return view


def begin_writes() -> Session:
    """End the request's read phase, if any: its transaction ends, the next one holds the write lock
    (SQLite BEGIN IMMEDIATE), and every object read so far is expired, so what the writes rely on
    (the account's role, its session token) is read again under the lock."""
    session = db_session()
    if session.info.pop(READ_PHASE, False):
        session.rollback()  # nothing was written (_no_writes_while_reading); a rollback expires all
        session.bind = writing(session.bind)
    return session


@event.listens_for(Session, "before_flush")
def _no_writes_while_reading(session: Session, _context, _instances) -> None:
    if session.info.get(READ_PHASE) and (session.new or session.dirty or session.deleted):
        raise RuntimeError("a reads_first view wrote before begin_writes(): it would write without the lock")
