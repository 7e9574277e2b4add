"""Fixed SELECTs on the DBAPI cursor (ideapankki.db_reads): the values SQLAlchemy gives, on both databases."""

import gc
import os
import weakref
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from factories import make_entry
from ideapankki import db_reads, entry_lists
from ideapankki.models import Contact, Entry, EntryState
from ideapankki.search import results


def _through_sqlalchemy(engine, statement, **parameters) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(statement, parameters)]


@pytest.fixture
def entry(session):
    made = make_entry(session, "kaikki-arvot", type="practice", title="Kaikki arvot", municipalities=["Oulu"],
                      contacts=[{"name": "Maija", "agreed": True}, {"name": "Matti", "agreed": False}])
    made.period_start, made.evidence_level = date(2023, 4, 5), 3
    made.details = {"goals": ["a", "ö"], "status_now": "running"}
    session.commit()
    return made


def test_the_rows_equal_sqlalchemys_on_each_kind_of_source(engine, entry):
    table = Entry.__table__
    statement = sa.select(table).where(table.c.slug == sa.bindparam("slug", type_=sa.String),
                                       table.c.state == EntryState.published.value)
    contacts = sa.select(Contact.__table__).where(Contact.__table__.c.entry_id == sa.bindparam("entry", type_=sa.Integer))
    expected = _through_sqlalchemy(engine, statement, slug="kaikki-arvot")
    assert len(expected) == 1 and isinstance(expected[0][list(table.c.keys()).index("published_on")], date)
    read, read_contacts = db_reads.Read(lambda: statement), db_reads.Read(lambda: contacts)
    pooled = db_reads.Pooled(engine)
    try:
        with Session(engine) as session:
            for source in (session, session.connection(), pooled):
                assert [tuple(row) for row in read.rows(source, slug="kaikki-arvot")] == expected
                assert read.keys(source) == tuple(table.c.keys())
                assert ([tuple(row) for row in read_contacts.rows(source, entry=entry.id)]
                        == _through_sqlalchemy(engine, contacts, entry=entry.id))
                assert read.rows(source, slug="puuttuu") == []
    finally:
        pooled.close()


def test_the_loaded_entry_equals_the_orm_loaded_one(engine, entry):
    columns = Entry.__table__.c.keys()
    with Session(engine) as session:
        orm = session.exec(select(Entry).where(Entry.slug == "kaikki-arvot")).one()
        expected = {name: getattr(orm, name) for name in columns}
    pooled = db_reads.Pooled(engine)
    try:
        loaded = entry_lists.load(pooled, "kaikki-arvot").entry
    finally:
        pooled.close()
    assert {name: getattr(loaded, name) for name in columns} == expected
    assert loaded.details == {"goals": ["a", "ö"], "status_now": "running"} and loaded.period_start == date(2023, 4, 5)
    assert [(c.name, c.agreed) for c in loaded.contacts] == [("Maija", True), ("Matti", False)]


def test_similar_entries_in_chunks_of_fixed_parameters(engine, session):
    made = [make_entry(session, f"naapuri-{i}", title=f"Naapuri {i}") for i in range(12)]
    make_entry(session, "luonnos-naapuri", state=EntryState.draft)
    session.commit()
    draft = session.exec(select(Entry).where(Entry.slug == "luonnos-naapuri")).one()

    class Index:
        def more_like(self, _entry_id, limit):
            return ([e.id for e in made] + [draft.id])[:limit]

    with Session(engine) as fresh:
        found = results.more_like(fresh, Index(), made[0], limit=11)
    assert [n.slug for n in found] == [f"naapuri-{i}" for i in range(11)]


def test_an_expanding_parameter_is_refused(engine):
    table = Entry.__table__
    read = db_reads.Read(lambda: sa.select(table.c.id).where(table.c.id.in_(sa.bindparam("ids", expanding=True))))
    with pytest.raises(ValueError, match="fixed number"), Session(engine) as session:
        read.rows(session, ids=[1])


@pytest.mark.sqlite_only("the kept connection is SQLite's (db_reads.Kept)")
def test_a_kept_connection_is_the_threads_until_its_engine_is_disposed_or_it_fails(engine, entry):
    kept = db_reads.held_reads(engine)
    assert isinstance(kept, db_reads.Kept) and db_reads.held_reads(engine) is kept
    assert [row[0] for row in entry_lists.ENTRY.rows(kept, slug="kaikki-arvot")] == [entry.id]
    kept.close()
    assert not kept.connection.dbapi_connection.in_transaction and db_reads.held_reads(engine) is kept
    engine.dispose()  # a new pool (a restored database): a new connection
    again = db_reads.held_reads(engine)
    assert again is not kept
    again.connection.invalidate()  # what a failed read does
    assert db_reads.held_reads(engine) is not again


@pytest.mark.sqlite_only("the kept connection is SQLite's (db_reads.Kept)")
def test_a_dropped_or_disposed_engines_kept_connections_are_closed(tmp_path):
    """The kept connections live with their pool: an engine dropped (the suite makes hundreds) or
    disposed takes them along, closed, instead of a table of them keeping every engine alive."""
    path = tmp_path / "kept.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    db_reads.held_reads(engine).connection.dbapi_connection.execute("SELECT 1")
    assert _open_files(path) == 1
    engine.dispose()
    gc.collect()
    assert _open_files(path) == 0
    db_reads.held_reads(engine).connection.dbapi_connection.execute("SELECT 1")
    dropped = weakref.ref(engine)
    del engine
    gc.collect()
    assert dropped() is None and _open_files(path) == 0


def _open_files(path) -> int:
    """How many of this process's file descriptors are open on PATH (Linux's /proc)."""
    fds = Path("/proc/self/fd")
    return sum(1 for fd in fds.iterdir() if os.path.realpath(fd) == str(path.resolve()))


@pytest.mark.sqlite_only("the kept connection is SQLite's (db_reads.Kept)")
def test_a_kept_connections_stamp_moves_with_every_commit(engine, entry):
    """Another connection's commit (the site's sessions, another process: PRAGMA data_version) and
    the connection's own writes (total_changes) change the stamp; reads do not."""
    kept = db_reads.held_reads(engine)
    first = kept.stamp()
    entry_lists.load(kept, "kaikki-arvot")
    assert kept.stamp() == first
    with Session(engine) as session:
        session.get(Entry, entry.id).title = "Muutettu"
        session.commit()
    second = kept.stamp()
    assert second != first
    with Session(engine) as session:  # a rollback commits nothing
        session.get(Entry, entry.id).title = "Ei tallennettu"
        session.flush()
        session.rollback()
    assert kept.stamp() == second
    _written_elsewhere(engine, entry.id)  # another process (another gunicorn worker, the CLI)
    third = kept.stamp()
    assert third != second
    kept.connection.dbapi_connection.execute("UPDATE entry SET title = 'Oma' WHERE id = ?", (entry.id,))
    assert kept.stamp() != third  # its own write: data_version stays, total_changes moves
    kept.close()


def _written_elsewhere(engine, entry_id: int) -> None:
    """Commit a change to ENTRY_ID's title from another process."""
    import subprocess
    import sys

    subprocess.run([sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                    "c.execute('UPDATE entry SET title = ? WHERE id = ?', ('Toinen', int(sys.argv[2]))); c.commit()",
                    engine.url.database, str(entry_id)], check=True, timeout=60)


def test_postgresql_and_memory_databases_read_on_a_pooled_connection(engine, db_kind):
    held = db_reads.held_reads(engine)
    try:
        assert isinstance(held, db_reads.Kept) == (db_kind == "sqlite")
    finally:
        held.close()
    memory = sa.create_engine("sqlite://")
    held = db_reads.held_reads(memory)
    assert not isinstance(held, db_reads.Kept)
    held.close()
