"""The site's version (changes.site_version), which every cache asks, moves at every commit that
changed an entry: also, on PostgreSQL, at one that commits late, after a transaction that drew
higher change-log ids has committed first."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from factories import make_entry
from ideapankki import browse, countcache, exports
from ideapankki.search.filters import Filters
from ideapankki.changes import site_version
from ideapankki.search import SearchIndex


@pytest.fixture
def index(engine, tmp_path):
    built = SearchIndex(tmp_path / "search", engine, finnish="snowball")
    built.rebuild()
    return built


def caches(engine) -> tuple:
    """What each cache keys on, read in a new transaction as another worker would."""
    with Session(engine) as session:
        return (site_version(engine), countcache.data_version(session), exports.change_position(session),
                browse.facet_counts(session, Filters())["type"])


def test_a_late_commit_moves_the_version_of_every_cache(engine, db_kind, index):
    make_entry(Session(engine), "vanha")
    early, late = Session(engine), Session(engine)
    if db_kind == "postgresql":  # the late one draws its change-log ids first, then waits
        make_entry(late, "myohainen", type="idea", commit=False)
        make_entry(early, "nopea")
    else:  # SQLite: writers take turns, so ids follow commit order anyway
        make_entry(early, "nopea")
        make_entry(late, "myohainen", type="idea", commit=False)
    index.refresh_if_behind()
    before = caches(engine)
    assert index.pending() == 0 and index.search("myohainen").total == 0
    late.commit()
    after = caches(engine)
    for old, new in zip(before[:3], after[:3]):
        assert old != new
    assert dict(before[3].counts).get("idea", 0) == 0 and dict(after[3].counts)["idea"] == 1  # counted anew
    index.refresh_if_behind()  # asks the same version, so it catches up
    assert index.pending() == 0 and index.search("myohainen").total == 1
    early.close(), late.close()


def test_an_unchanged_site_keeps_its_version(engine):
    make_entry(Session(engine), "vanha")
    assert site_version(engine) == site_version(engine)
    with Session(engine) as session:
        assert site_version(session) == site_version(session)
        session.rollback()
    assert site_version(engine)[0] is not None


def test_the_engine_and_a_session_read_the_same_version(engine):
    """Caches key on either read (the ETag check's from the engine, a view's from its session):
    two spellings of one version (SQLite's times as text) rebuilt the listing table at each switch."""
    make_entry(Session(engine), "vanha")
    with Session(engine) as session:
        assert site_version(engine) == site_version(session)
        assert countcache.data_version(session)[1] == site_version(engine)
        session.rollback()


def test_one_change_log_row_per_entry_and_transaction(engine, db_kind):
    """Later flushes of the same transaction add no rows (a submission wrote ten); a rolled-back
    savepoint takes its row with it, so the entry is logged again after it."""
    from sqlmodel import select

    from ideapankki.models import EntryChange

    def rows(session):
        return session.exec(select(EntryChange.entry_id)).all()

    with Session(engine) as session:
        entry = make_entry(session, "kokeilu", commit=False)  # several flushes: rows, revision, state
        entry.title = "Uusi otsikko"
        session.flush()
        expected = 2 if db_kind == "postgresql" else 1  # PostgreSQL adds the commit-ordered row
        session.commit()
        assert rows(session) == [entry.id] * expected
        savepoint = session.begin_nested()
        entry.summary = "Toinen."
        session.flush()
        savepoint.rollback()
        entry.summary = "Kolmas."
        session.commit()
        assert len(rows(session)) == 2 * expected


def test_counts_of_an_older_version_are_dropped_when_a_newer_one_is_kept(engine):
    """A worker keeps one version's counts per database: after a publication the old listing
    table and facet counts would otherwise stay until 512 newer values pushed them out."""
    make_entry(Session(engine), "ensimmainen")
    with Session(engine) as session:
        old = countcache.cached(session, ("probe",), lambda: "old value", copier=str)
        old_version = countcache.data_version(session)
    make_entry(Session(engine), "toinen")
    with Session(engine) as session:
        new = countcache.cached(session, ("probe",), lambda: "new value", copier=str)
        new_version = countcache.data_version(session)
    assert (old, new) == ("old value", "new value") and old_version != new_version
    assert not [key for key in countcache._cache if key[0] == old_version]
    assert (new_version, ("probe",)) in countcache._cache
