"""A searcher knows its folder's newest commit without listing the folder before every use."""

import os
import time

from factories import make_entry
from ideapankki.search import SearchIndex, reading


def _count_listings(monkeypatch) -> list:
    calls = []
    listed = reading.latest_generation

    def counting(searcher):
        calls.append(1)
        return listed(searcher)

    monkeypatch.setattr(reading, "latest_generation", counting)
    return calls


def _age(folder, seconds: float) -> None:
    past = time.time() - seconds
    os.utime(folder, (past, past))


def test_an_old_unchanged_folder_is_not_listed_again_and_a_commit_is_still_seen(bench, monkeypatch):
    bench.add("eka", title="Kirjastokokeilu", summary="S.")
    assert bench.slugs("kirjastokokeilu") == ["eka"]
    folder = bench.index.store.target()
    _age(folder, 3600)
    listings = _count_listings(monkeypatch)
    assert bench.slugs("kirjastokokeilu") == ["eka"]  # listed once, the old time kept
    assert bench.slugs("kirjastokokeilu") == ["eka"]
    assert len(listings) == 1

    # Another process commits into the same folder: its time moves, the next search lists it.
    make_entry(bench.session, "toka", title="Toinen kirjastokokeilu", summary="S.")
    other = SearchIndex(bench.index.store.root, bench.engine)
    assert other.catch_up() == 1
    assert sorted(bench.slugs("kirjastokokeilu")) == ["eka", "toka"]
    assert len(listings) == 2


def test_a_recent_folder_time_is_never_trusted(bench, monkeypatch):
    """A commit in the same clock tick as the last look would leave the time as it was."""
    bench.add("eka", title="Kirjastokokeilu", summary="S.")
    assert bench.slugs("kirjastokokeilu") == ["eka"]
    _age(bench.index.store.target(), 0.5)
    listings = _count_listings(monkeypatch)
    for _ in range(3):
        assert bench.slugs("kirjastokokeilu") == ["eka"]
    assert len(listings) == 3
