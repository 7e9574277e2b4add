"""Fixed SELECTs of the pages read most, run on the DBAPI cursor of a SQLAlchemy connection.

An entry page reads three fixed statements (the entry, its lists, its similar entries). Through
SQLAlchemy each cost some 100–150 µs of execution context, parameter processing and Row
building around 10–30 µs of SQLite's own work: together about a tenth of the page. A Select
here is compiled once per dialect (its SQL, the order of its parameters) and run on a DBAPI
cursor: of a session's connection (inside its transaction), or of a pooled connection a reading
request holds (Pooled: no session, no transaction of SQLAlchemy's, nothing to commit); each column gets the conversion SQLAlchemy itself applies to its type (on SQLite: dates and
times from text, booleans from integers, JSON from text), and each parameter its bind
conversion. What it does not do: statement events, the ORM, expanding IN lists (use a fixed
number of parameters). tests/db/test_db_reads.py compares its rows with SQLAlchemy's on both
databases.
"""

from __future__ import annotations

import os
import threading
from typing import Any, Callable

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.pool import QueuePool


class _Compiled:
    __slots__ = ("sql", "names", "positional", "fixed", "binds", "converted", "keys")

    def __init__(self, statement, dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        if any(bind.expanding for bind in compiled.binds.values()):
            raise ValueError("db_reads: an expanding IN needs SQL per call; give it a fixed number of parameters")
        self.sql = str(compiled)
        self.positional = compiled.positional
        self.names = tuple(compiled.positiontup) if compiled.positional else tuple(compiled.binds)
        self.fixed = {name: bind.value for name, bind in compiled.binds.items() if not bind.required}
        self.binds = {name: processor for name, bind in compiled.binds.items()
                      if (processor := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None}
        columns = list(statement.selected_columns)
        processors = (column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns)
        self.converted = tuple((position, processor) for position, processor in enumerate(processors) if processor)
        self.keys = tuple(column.key for column in columns)

    def parameters(self, given: dict[str, Any]):
        values = {}
        for name in self.names:
            value = given[name] if name in given else self.fixed[name]
            processor = self.binds.get(name)
            values[name] = processor(value) if processor is not None else value
        return [values[name] for name in self.names] if self.positional else values


class Read:
    """A fixed Select (built by BUILD on first use), run with Read.rows(connection, **parameters)."""

    def __init__(self, build: Callable[[], Any]) -> None:
        self._build = build
        self._statement = None
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    @property
    def statement(self):
        if self._statement is None:
            self._statement = self._build()
        return self._statement

    def _for(self, dialect) -> _Compiled:
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            with self._lock:
                compiled = self._compiled[dialect.name] = _Compiled(self.statement, dialect)
        return compiled

    def keys(self, source) -> tuple[str, ...]:
        """The names of the columns, in the order of each row's values."""
        return self._for(_dialect_and_connection(source)[0]).keys

    def rows(self, source, **parameters) -> list:
        """The statement's rows (tuples or lists), each value converted as SQLAlchemy converts it.
        SOURCE: a Session, a Connection or a Pooled connection."""
        dialect, connection = _dialect_and_connection(source)
        compiled = self._for(dialect)
        cursor = connection.cursor()
        try:
            cursor.execute(compiled.sql, compiled.parameters(parameters))
            found = cursor.fetchall()
        finally:
            cursor.close()
        if compiled.converted:
            for position, row in enumerate(found):
                row = found[position] = list(row)
                for column, processor in compiled.converted:
                    if row[column] is not None:
                        row[column] = processor(row[column])
        return found

    def first_as(self, model, source, **parameters):
        """The first row as a transient MODEL instance (its columns set where loaded values are kept:
        no ORM loading, no change events; the session never writes it), or None when there is none."""
        rows = self.rows(source, **parameters)
        if not rows:
            return None
        instance = model._sa_class_manager.new_instance()
        instance.__dict__.update(zip(self.keys(source), rows[0]))
        return instance


def id_params(count: int) -> list:
    """COUNT id parameters (:id0 …) for a fixed IN list: a Read compiles once, with no expanding IN."""
    return [sa.bindparam(f"id{n}", type_=sa.Integer) for n in range(count)]


def rows_for_ids(read: Read, source, ids: list[int], count: int) -> list:
    """READ's rows for IDS, whose statement has COUNT id parameters (id_params): IDS in slices of
    COUNT, the last padded with NULL, which matches no id."""
    rows = []
    for start in range(0, len(ids), count):
        part = list(ids[start:start + count])
        part += [None] * (count - len(part))
        rows += read.rows(source, **{f"id{n}": value for n, value in enumerate(part)})
    return rows


class Pooled:
    """A connection of ENGINE's pool held for a reading request's fixed reads; close() gives it back
    (the pool rolls back whatever the driver began)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.dialect = engine.dialect
        self.connection = engine.raw_connection()

    def close(self) -> None:
        self.connection.close()

    def version(self, read: Callable) -> Any:
        """READ(dialect, connection): the site's version (changes.version_on), read on this connection."""
        return read(self.dialect, self.connection)


class Kept(Pooled):
    """SQLite: a connection of ENGINE's taken out of its pool once and kept by this thread for the
    fixed reads of its reading requests (Kept.of), instead of a pool checkout and return around each
    (some 15 µs hot, 30–60 under load: a tenth of the ETag check and the entry page's reads).

    Sound as a pooled connection is: the connection is in autocommit (isolation_level None, what
    db._configure_sqlite gives every connection), so each SELECT reads the newest commit, and close()
    ends any transaction the driver began, as the pool's return did. Nothing writes on it (fixed
    reads only), so SQLite's `PRAGMA data_version`, which changes when another connection commits
    (another process too) and not for this connection's own writes, tells whether anything changed
    since this connection last read: stamp() gives it with total_changes (this connection's own
    writes, should any happen), the key of the site's version kept with it (web/serving/http_cache.py).
    A disposed engine (a new pool: a restored database) or another process (a fork) gets a new one;
    one that failed (invalidated) too."""

    def __init__(self, engine: sa.Engine) -> None:
        super().__init__(engine)
        self.connection.detach()  # closed only when dropped, never returned to the pool
        self.connection.dbapi_connection.isolation_level = None  # autocommit, whatever a session set
        self.pid = os.getpid()
        self._version: tuple | None = None  # (stamp(), the site's version read right after it)

    @classmethod
    def of(cls, engine: sa.Engine) -> "Kept":
        """This thread's kept connection of ENGINE (made on first use, again when stale). Kept in a
        thread-local on ENGINE's pool, so it lives and dies with the pool: a disposed engine (a new
        pool) or a dropped one takes its connections along (a table keyed by the engine would keep
        it alive: the pool's event listeners refer to it)."""
        local = engine.pool.__dict__.get(_KEPT_ON_POOL) or engine.pool.__dict__.setdefault(
            _KEPT_ON_POOL, threading.local())
        found = getattr(local, "kept", None)
        if found is None or found.pid != os.getpid() or not found.connection.is_valid:
            if found is not None and found.pid != os.getpid():
                _INHERITED.append(found)  # a parent's connection: never closed or used in this process
            found = local.kept = cls(engine)
        return found

    def close(self) -> None:
        """The request's end: the connection stays, any transaction the driver began ends."""
        connection = self.connection.dbapi_connection
        if connection is not None and connection.in_transaction:
            connection.rollback()

    def version(self, read: Callable) -> Any:
        """The site's version read last, again while the stamp is unchanged (nothing committed since):
        a pragma instead of READ's subqueries; a table of one version per connection keyed by the
        database's own counter, not a page or URL memo. The stamp comes first: a commit between it
        and READ only makes the next request read again."""
        stamp = self.stamp()
        if self._version is not None and self._version[0] == stamp:
            return self._version[1]
        found = read(self.dialect, self.connection)
        self._version = (stamp, found)
        return found

    def stamp(self) -> tuple[int, int]:
        """(PRAGMA data_version, total_changes): equal while nothing was committed to the database."""
        connection = self.connection.dbapi_connection
        cursor = connection.cursor()
        try:
            cursor.execute("PRAGMA data_version")
            return cursor.fetchone()[0], connection.total_changes
        finally:
            cursor.close()


_KEPT_ON_POOL = "ideapankki_kept"  # the attribute of a pool that holds its threads' Kept
_INHERITED: list[Kept] = []


def held_reads(engine: sa.Engine) -> Pooled:
    """A reading request's connection for its fixed reads: a SQLite file's kept one (Kept), else a
    pooled one (PostgreSQL's would hold a transaction open; an in-memory database has its own pools)."""
    if engine.dialect.name == "sqlite" and isinstance(engine.pool, QueuePool):
        return Kept.of(engine)
    return Pooled(engine)


def _dialect_and_connection(source):
    if isinstance(source, Pooled):
        return source.dialect, source.connection
    connection = source.connection() if isinstance(source, Session) else source
    return connection.dialect, connection.connection.driver_connection
