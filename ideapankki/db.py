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

    pysqlite's own transaction handling starts switched off (isolation_level None); `_begin`
    then decides per transaction how it starts (SQLAlchemy's documented pysqlite recipe).
    """
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def _begin(connection) -> None:
    """Begin a writer's transaction IMMEDIATE; leave the others to pysqlite as before.

    A deferred BEGIN takes the write lock only at the first write; two read-then-write
    transactions can then each hold a read snapshot and neither may upgrade: "database is
    locked" mid-way, which busy_timeout cannot cure. Writers (`writing(engine)`) take the lock
    at BEGIN IMMEDIATE instead and queue (SQLAlchemy's pysqlite recipe). Other connections keep
    pysqlite's own mode (reads outside a transaction, BEGIN at the first write): an IMMEDIATE
    transaction holds the lock until it ends, so a long-lived reader would block every writer.
    """
    dbapi_connection = connection.connection.driver_connection
    if connection.get_execution_options().get(_BEGIN_OPTION) == "IMMEDIATE":
        dbapi_connection.isolation_level = None  # pysqlite emits no BEGIN or COMMIT of its own
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        dbapi_connection.isolation_level = ""  # pysqlite's default: BEGIN before the first write


def writing(engine: Engine) -> Engine:
    """ENGINE for a unit of work that writes: on SQLite its transactions begin IMMEDIATE."""
    if engine.dialect.name != "sqlite":
        return engine
    return engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})


def create_db_engine(url: str, **kwargs) -> Engine:
    """Create an engine for URL with the per-connection settings the site relies on."""
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    if url.startswith("postgresql"):
        # UTC sessions: timestamps read back, EXTRACT and date casts do not depend on the server's zone
        kwargs.setdefault("connect_args", {}).setdefault("options", "-c TimeZone=UTC")
        kwargs.setdefault("pool_pre_ping", True)  # a restarted server costs one retry, not an error page
    engine = sa.create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _configure_sqlite)
        sa.event.listen(engine, "begin", _begin)
    return engine


def open_engine(config) -> Engine:
    """The engine for CONFIG's DATABASE_URL: the one way the site and the CLI open the database."""
    return create_db_engine(config["DATABASE_URL"])


def reading(engine: Engine) -> Engine:
    """ENGINE for work that only reads, even inside a writing request: it never takes the write lock."""
    if engine.dialect.name != "sqlite":
        return engine
    return engine.execution_options(**{_BEGIN_OPTION: "DEFERRED"})
def lock(session: Session, row) -> None:
    """Re-read ROW under a row lock held until the transaction ends (SELECT … FOR UPDATE).

    A read-then-write (a workflow move, the next revision number, the last admin) must not act
    on a state that a concurrent transaction is changing: on PostgreSQL the second writer waits
    here and then sees the first one's result. SQLite has no row locks (SQLAlchemy leaves the
    clause out); its writers already queue at BEGIN IMMEDIATE, so the re-read is only harmless.
    """
    session.flush()
    session.refresh(row, with_for_update=True)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """Yield a session that commits when the block succeeds and rolls back when it raises."""
    session = Session(writing(engine), expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
