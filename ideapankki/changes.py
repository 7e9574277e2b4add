"""The change log (EntryChange) and the site's version, which every cache asks.

A session hook sees every flush, whichever code path made it (web, CLI, import), and writes a
row per touched entry in the same transaction, so no writer can forget to tell the search index.
One row per entry and transaction is enough (the rows become visible together, at the commit, and
a reader applies the entry as committed), so later flushes of the same transaction add none.

site_version() is the one answer to "has anything changed?" for the pages' ETags, the count
and listing caches, more-like-this, the exports and the search index's catch-up. Its head (the newest change-log id and
time) must move whenever a change becomes visible. On SQLite writers take turns, so ids are
drawn in commit order. On PostgreSQL ids are drawn at insert time, so a transaction may commit
a lower id after another's higher one is visible, and "the newest id" alone would miss it: so
each transaction that logged changes adds one more row just before it commits, with a
transaction-level advisory lock held from that insert to the commit. Those last rows are
therefore numbered in commit order, and every commit that logged a change moves the head.
The lock is held only for one insert into a table without foreign keys, so it never waits on
anything else and cannot deadlock.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession

from .models import (Adoption, Contact, Entry, EntryChange, EntryLink, EntryMunicipality, EntryRelation, EntryTheme,
                     EntryTag, LawReference, NormStatusEvent, Programme, VocabularyState, utcnow)

_CHILDREN = (EntryMunicipality, EntryTheme, EntryTag, LawReference, Contact, EntryLink, NormStatusEvent,
             EntryRelation, Adoption)
_UNORDERED = "ideapankki.changes_to_order"  # session.info: entry ids logged in this transaction, not yet ordered
_LOGGED = "ideapankki.changes_logged"  # session.info: entry ids with a row in this (sub)transaction
_VERSION_READ = "ideapankki.site_version"  # session.info: (the transaction, the site's version read in it)
COMMIT_ORDER_LOCK = 0x1DEA_C4A6  # pg_advisory_xact_lock key: commits that logged changes, one at a time


def _touched_entry_ids(session: OrmSession) -> set[int]:
    ids: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Entry) and obj.id is not None:
            ids.add(obj.id)
        elif isinstance(obj, _CHILDREN) and obj.entry_id is not None:
            ids.add(obj.entry_id)
    return ids


@event.listens_for(OrmSession, "after_flush")
def _log_entry_changes(session: OrmSession, _flush_context) -> None:
    log_written(session, _touched_entry_ids(session))


def log_written(session: OrmSession, ids: set[int]) -> None:
    """Log the entries IDS as changed in SESSION's transaction: what the flush hook does for the
    ORM's writes, for a writer that inserts on the session's connection (entry_rows)."""
    session.info.pop(_VERSION_READ, None)  # a write may move the version: read it again
    if ids:
        session.info["entries_changed"] = True
        session.info.setdefault(_UNORDERED, set()).update(ids)
        logged = session.info.setdefault(_LOGGED, set())
        new = ids - logged
        if new:
            logged |= new
            now = utcnow()
            session.connection().execute(sa.insert(EntryChange), [{"entry_id": i, "at": now} for i in sorted(new)])


@event.listens_for(OrmSession, "before_commit")
def _order_commit(session: OrmSession) -> None:
    """On PostgreSQL, end a transaction that logged changes with a row numbered in commit order."""
    if session.in_nested_transaction():
        return  # a savepoint: the outer commit does it
    session.flush()  # the commit's own flush would come after this hook
    ids = session.info.pop(_UNORDERED, None)
    if not ids:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return
    connection.execute(sa.select(sa.func.pg_advisory_xact_lock(COMMIT_ORDER_LOCK)))  # released by the commit
    connection.execute(sa.insert(EntryChange), [{"entry_id": min(ids), "at": utcnow()}])


@event.listens_for(OrmSession, "after_rollback")
def _forget(session: OrmSession) -> None:
    session.info.pop(_UNORDERED, None)


@event.listens_for(OrmSession, "after_transaction_end")
def _forget_logged(session: OrmSession, transaction) -> None:
    """The end of the transaction or of a savepoint (a rolled-back one took its rows with it);
    not of the internal subtransaction every flush opens."""
    session.info.pop(_VERSION_READ, None)
    if transaction.nested or transaction.parent is None:
        session.info.pop(_LOGGED, None)


_HEAD = sa.select(EntryChange.id).order_by(EntryChange.id.desc()).limit(1).scalar_subquery()
VERSION_QUERY = sa.select(
    _HEAD,
    sa.select(EntryChange.at).where(EntryChange.id == _HEAD).scalar_subquery(),
    sa.select(sa.func.count()).select_from(Programme).scalar_subquery(),
    sa.select(sa.func.max(Programme.updated_at)).scalar_subquery(),
    sa.select(VocabularyState.version).where(VocabularyState.id == 1).scalar_subquery(),  # search expands through it
)
_VERSION_SQL: dict[str, tuple[str, tuple]] = {}  # dialect name -> VERSION_QUERY as SQL, its columns' conversions


def site_version(source: sa.Engine | OrmSession, keep: bool = False) -> tuple:
    """(head id, head time, programme count, newest programme change, thesaurus version): equal only
    while nothing changed (search results follow the thesaurus, so its version is part of it).

    The head's time tells a rolled-back and reused SQLite id from the old one. Programmes are
    written only by `ideapankki import`, outside the change log, so they are counted here.
    From an engine (the ETags, on every anonymous page) the query runs on the DBAPI cursor of a
    pooled connection (no SQLAlchemy Connection around it): SQLAlchemy's execution costs three
    times the query itself (about 100 µs against 40 on SQLite), and SQLite's times stay strings;
    should connecting or the query fail there, the connection is dropped and SQLAlchemy runs it
    again, so its answer, or its error, is the one given. From a session it runs in the
    session's transaction. With KEEP (a search request: the index's catch-up and the listing table
    ask), the session's later reads in the same transaction get this answer until it flushes or
    ends: a later read could only be newer than the data read before it, and what a cache keeps
    under an older version is rebuilt at the next.
    """
    if isinstance(source, OrmSession):
        held = source.info.get(_VERSION_READ)
        if held is not None and held[0] is source.get_transaction():
            return held[1]
        version = tuple(source.connection().execute(VERSION_QUERY).one())
        if keep:
            source.info[_VERSION_READ] = (source.get_transaction(), version)
        return version
    try:
        connection = source.raw_connection()  # the pool's DBAPI connection, no Connection around it
    except Exception:  # noqa: BLE001 - connecting again below raises it as SQLAlchemy's error
        connection = None
    if connection is not None:
        try:
            return version_on(source.dialect, connection)
        except Exception:  # noqa: BLE001 - retried below, where the error is raised as SQLAlchemy's
            connection.invalidate()
        finally:
            connection.close()  # back to the pool, which ends any transaction the query began
    with source.connect() as connection:
        return tuple(connection.execute(VERSION_QUERY).one())


def version_on(dialect, connection) -> tuple:
    """site_version's answer read on CONNECTION, a pooled DBAPI connection of DIALECT (what the
    driver raises, it raises: the caller drops the connection and asks site_version)."""
    found = _VERSION_SQL.get(dialect.name)
    if found is None:
        found = _VERSION_SQL[dialect.name] = _version_sql(dialect)
    sql, conversions = found
    cursor = connection.cursor()
    try:
        cursor.execute(sql)
        return tuple(value if convert is None or value is None else convert(value)
                     for convert, value in zip(conversions, cursor.fetchone()))
    finally:
        cursor.close()


def _version_sql(dialect) -> tuple[str, tuple]:
    """VERSION_QUERY's SQL for DIALECT and the conversion SQLAlchemy applies to each of its columns
    (SQLite's times are text): the engine's answer must equal the session's, since caches key on
    either (countcache keeps one version's values: two spellings of one version rebuilt the
    listing table at every switch between a page that read one and a page that read the other)."""
    sql = str(VERSION_QUERY.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    return sql, tuple(column.type.dialect_impl(dialect).result_processor(dialect, None)
                      for column in VERSION_QUERY.selected_columns)


def keep_version(session: OrmSession, version: tuple) -> None:
    """Have SESSION's reads of the site's version (site_version) answer VERSION until it flushes or
    its transaction ends: VERSION was read from the engine just before, by this request (the ETag
    check), so a search reads it once, not twice. The data the session then reads can only be as
    new or newer, the same promise as site_version(keep=True) gives."""
    transaction = session.get_transaction() or session.begin()
    session.info[_VERSION_READ] = (transaction, version)

