"""Index damage from outside: deleted, truncated or overwritten files. Search degrades, then heals.

Damage is done to real files under a real index; the rebuild runs in the Healer's thread.
Each test damages its own copy of one database and index made per module (`filled`): the same
three entries, indexed by a catch-up, and opened by a search before the damage, as when each test
made and indexed them itself (~55 set-ups of a new index over both databases).
"""

from __future__ import annotations

import shutil
import threading
import time

import pytest
from sqlmodel import Session

from factories import make_entry
from index_damage import DAMAGE, damage, kinds
from ideapankki.db import create_db_engine
from ideapankki.search import IndexUnavailable, SearchIndex


@pytest.fixture(scope="module")
def filled_original(module_databases, tmp_path_factory):
    """A database with three entries and their index, made once: `filled` copies both."""
    url = module_databases.fresh()
    engine = create_db_engine(url)
    root = tmp_path_factory.mktemp("filled") / "search"
    with Session(engine, expire_on_commit=False) as session:
        for i in range(3):
            make_entry(session, f"kokeilu-{i}", title=f"Omavalmentaja {i}", summary="Työllisyyskokeilu kunnassa.")
    SearchIndex(root, engine).catch_up()
    engine.dispose()  # a PostgreSQL template must have no connections; SQLite's WAL is checkpointed
    return url, root


@pytest.fixture
def filled(filled_original, databases, tmp_path, search_bench):
    """A copy of the module's database and index (`engine` and `session` are the bench's here)."""
    url, root = filled_original
    engine = create_db_engine(databases.copy(url))
    shutil.copytree(root, tmp_path / "search", symlinks=True)  # `current` is a relative link
    with Session(engine, expire_on_commit=False) as session:
        bench = search_bench(engine, session, tmp_path / "search")
        assert bench.slugs("omavalmentaja") == ["kokeilu-0", "kokeilu-1", "kokeilu-2"]  # opens the index
        yield bench
    engine.dispose()


def _search_or_unavailable(index: SearchIndex):
    try:
        return index.search("omavalmentaja", per_page=50).total
    except IndexUnavailable:
        return None


@pytest.mark.parametrize("kind", kinds(*DAMAGE))
def test_damage_while_reading_degrades_then_heals_itself(filled, kind):
    index = filled.index
    damage(index.store.root, kind)
    index.refresh_if_behind()  # what every search does first; never raises
    assert _search_or_unavailable(index) in (None, 3)  # unavailable, or still served from open files
    index.healer.wait(30)
    if index.store.verify() is not None:  # still-open files hid the damage: health notices it
        assert index.status()[0] in ("rebuilding", "missing", "damaged")
        index.healer.wait(30)
    assert index.store.verify() is None
    assert filled.slugs("omavalmentaja") == ["kokeilu-0", "kokeilu-1", "kokeilu-2"]
    assert index.status() == ("ok", None)


@pytest.mark.parametrize("kind", kinds("delete-folder", "delete-segment", "delete-toc", "halve-segment",
                                       "garbage-segment", "garbage-state"))
def test_damage_found_at_process_start_heals(filled, kind):
    engine = filled.engine
    damage(filled.index.store.root, kind)
    fresh = SearchIndex(filled.index.store.root, engine)  # as a new worker would
    assert _search_or_unavailable(fresh) in (None, 3)
    fresh.healer.wait(30)
    fresh.status()  # a health check finds what a search did not read
    fresh.healer.wait(30)
    assert fresh.search("omavalmentaja").total == 3
    assert fresh.status() == ("ok", None)


@pytest.mark.parametrize("kind", kinds("delete-segment", "halve-segment", "garbage-toc", "delete-folder"))
def test_catch_up_rebuilds_a_damaged_index_at_once(filled, kind, caplog):
    """`ideapankki serve` and every write catch up: damage is repaired then, in the foreground."""
    engine = filled.engine
    damage(filled.index.store.root, kind)
    SearchIndex(filled.index.store.root, engine).catch_up()
    assert SearchIndex(filled.index.store.root, engine).search("omavalmentaja").total == 3


def test_verify_names_the_damage(filled):
    store = filled.index.store
    assert store.verify() is None
    damage(store.root, "halve-segment")
    assert "Error" in store.verify()


def test_a_damaged_index_says_so_while_another_process_holds_the_lock(filled, caplog):
    """The rebuild waits for the writer lock; meanwhile search is unavailable and health says rebuilding."""
    engine = filled.engine
    store = filled.index.store
    damage(store.root, "delete-toc")
    fresh = SearchIndex(store.root, engine)
    with store.writing():  # another process writing
        with pytest.raises(IndexUnavailable):
            fresh.search("omavalmentaja")
        assert fresh.healer.rebuilding
        assert fresh.status() == ("rebuilding", None)
    assert fresh.healer.wait(30)
    assert fresh.search("omavalmentaja").total == 3
    assert "is damaged" in caplog.text and "rebuilt after damage" in caplog.text


def test_one_rebuild_across_processes(filled):
    """Two processes that both find the same generation damaged rebuild it once, one after the other."""
    engine = filled.engine
    root = filled.index.store.root
    damaged = (root / "current").resolve().name
    damage(root, "delete-segment")
    first, second = SearchIndex(root, engine), SearchIndex(root, engine)  # each has its own lock file handle
    with first.store.writing():  # both start while the lock is taken, so both must wait for it
        assert first.healer.damaged("test", damaged) and second.healer.damaged("test", damaged)
    assert first.healer.wait(30) and second.healer.wait(30)
    assert first.healer.rebuilt + second.healer.rebuilt == 1
    assert first.search("omavalmentaja").total == second.search("omavalmentaja").total == 3


def test_a_rebuild_never_serves_a_half_built_index(bench, session):
    for i in range(60):
        make_entry(session, f"kokeilu-{i}", title=f"Omavalmentaja numero {i}", summary="Kokeilu kunnassa.")
    bench.index.catch_up()
    damage(bench.index.store.root, "delete-toc")
    seen, stop = [], threading.Event()

    def read():
        while not stop.is_set():
            seen.append(_search_or_unavailable(bench.index))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        deadline = time.monotonic() + 60
        while bench.index.healer.rebuilt == 0 and time.monotonic() < deadline:
            bench.index.healer.wait(1)
            time.sleep(0.01)
    finally:
        stop.set()
        reader.join()
    assert None in seen and set(seen) <= {None, 60}
    assert bench.index.search("omavalmentaja").total == 60


def test_repeated_failures_of_a_fresh_generation_do_not_rebuild_in_a_loop(filled):
    healer = filled.index.healer
    generation = (filled.index.store.root / "current").resolve().name
    assert healer.damaged("first", generation)
    healer.wait(30)
    assert not healer.damaged("again at once", generation)  # within the cool-down
