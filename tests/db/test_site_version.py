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
