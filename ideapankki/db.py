"""Database engine and sessions: one engine per app, one session per request or CLI command.

Domain functions take a session and flush; the boundary (request or command) commits or
rolls back, so a failure anywhere leaves nothing half-written.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from . import changes  # noqa: F401  (registers the change-log hook on every session)

SQLITE_BUSY_TIMEOUT_MS = 5000
_BEGIN_OPTION = "ideapankki_sqlite_begin"


def _configure_sqlite(dbapi_connection, _record) -> None:
    """Turn on what SQLite leaves off: foreign keys, WAL for concurrent readers, a busy timeout.

    pysqlite's own transaction handling is switched off (isolation_level None) so that
    `_begin` alone decides how a transaction starts (SQLAlchemy's documented recipe).
    """
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def _begin(connection) -> None:
    """Start a transaction with the write lock, waiting (busy_timeout) rather than failing later.

    A deferred BEGIN takes the lock only at the first write; two read-then-write transactions
    can then each hold a read snapshot and neither may upgrade: "database is locked" mid-way,
    which busy_timeout cannot cure. BEGIN IMMEDIATE queues writers at the start instead.
    Connections from `reading(engine)` begin DEFERRED, so readers never wait for writers (WAL).
    """
    mode = connection.get_execution_options().get(_BEGIN_OPTION, "IMMEDIATE")
    connection.exec_driver_sql(f"BEGIN {mode}")


def reading(engine: Engine) -> Engine:
    """ENGINE for work that only reads (GET requests, the search indexer, health checks).

    An IMMEDIATE transaction holds the write lock until it ends, so a reader using one would
    block every writer for as long as it stays open; a deferred one reads its WAL snapshot.
    """
    if engine.dialect.name != "sqlite":
        return engine
    return engine.execution_options(**{_BEGIN_OPTION: "DEFERRED"})


def create_db_engine(url: str, **kwargs) -> Engine:
    """Create an engine for URL with the per-connection settings the site relies on."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    engine = sa.create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _configure_sqlite)
        sa.event.listen(engine, "begin", _begin)
    return engine


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """Yield a session that commits when the block succeeds and rolls back when it raises."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
