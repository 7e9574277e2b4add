"""SQLite connections: the pragmas the site relies on, and write transactions that never deadlock."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from ideapankki.db import SQLITE_BUSY_TIMEOUT_MS, create_db_engine, session_scope, writing

pytestmark = pytest.mark.sqlite_only("SQLite's pragmas and BEGIN IMMEDIATE; tests/db/test_concurrency.py covers both")


@pytest.fixture
def counter_engine(tmp_path):
    engine = create_db_engine(f"sqlite:///{tmp_path / 'tx.db'}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)")
        connection.exec_driver_sql("INSERT INTO counter (id, value) VALUES (1, 0)")
    yield engine
    engine.dispose()


def test_a_fresh_connection_has_foreign_keys_wal_and_a_busy_timeout(counter_engine):
    with counter_engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    assert SQLITE_BUSY_TIMEOUT_MS >= 5000


def test_a_write_transaction_holds_the_write_lock_from_its_start(counter_engine, tmp_path):
    other = sqlite3.connect(tmp_path / "tx.db", timeout=0, isolation_level=None)
    try:
        with session_scope(counter_engine) as session:  # the CLI's and the domain's unit of work
            session.execute(sa.text("SELECT value FROM counter")).scalar()  # a read only, so far
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # free again after the commit
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_two_concurrent_read_then_write_transactions_both_succeed(counter_engine):
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def increment() -> None:
        try:
            start.wait(timeout=5)
            with writing(counter_engine).begin() as connection:
                value = connection.exec_driver_sql("SELECT value FROM counter WHERE id = 1").scalar()
                time.sleep(0.2)  # the other thread starts its transaction meanwhile
                connection.execute(sa.text("UPDATE counter SET value = :v WHERE id = 1"), {"v": value + 1})
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=increment) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert errors == []
    with counter_engine.connect() as connection:
        # Serialised, not lost: each read saw the other's committed write.
        assert connection.exec_driver_sql("SELECT value FROM counter").scalar() == 2


def test_an_open_reading_session_neither_blocks_a_writer_nor_fails_its_own_later_write(counter_engine):
    with Session(counter_engine) as reader:  # as a test or a GET request holds one
        assert reader.execute(sa.text("SELECT value FROM counter")).scalar() == 0
        with session_scope(counter_engine) as writer:
            writer.execute(sa.text("UPDATE counter SET value = 5"))
        assert reader.execute(sa.text("SELECT value FROM counter")).scalar() == 5
        reader.execute(sa.text("UPDATE counter SET value = 6"))
        reader.commit()
    with counter_engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT value FROM counter").scalar() == 6
