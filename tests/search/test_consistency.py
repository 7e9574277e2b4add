"""The index is a projection of the database: nothing lost when a process dies, atomic rebuilds."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading

import pytest

from click.testing import CliRunner

from databases import url_text
from factories import make_entry

from ideapankki import entries, workflow
from ideapankki.models import EntryState
from ideapankki.search import SearchIndex
from ideapankki.search.indexer import GAP_TIMEOUT_S, _advance
from ideapankki.search.store import LAYOUT, IndexState

WRITER = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {tests!r})
    from sqlmodel import Session
    from ideapankki.db import create_db_engine
    from factories import make_entry
    engine = create_db_engine({url!r})
    with Session(engine) as session:
        make_entry(session, "kuollut-kirjoittaja", title="Omavalmentaja kuolevasta prosessista", summary="S.")
    print("committed", flush=True)
    time.sleep(60)  # killed here: after the commit, before any index update
""")


def test_entry_committed_by_a_killed_process_is_searchable_after_restart(bench, engine, tmp_path):
    bench.add("olemassa", title="Vanha merkintä", summary="S.")
    tests_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    script = WRITER.format(tests=tests_dir, url=url_text(engine.url))
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "committed"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        child.stdout.close()
    assert bench.index.pending() > 0
    assert bench.slugs("omavalmentaja") == []  # the index has not heard of it yet
    from ideapankki.search import SearchIndex

    restarted = SearchIndex(bench.index.store.root, engine)
    assert restarted.catch_up() == 1
    assert restarted.pending() == 0
    assert [h.slug for h in restarted.search("omavalmentaja").hits] == ["kuollut-kirjoittaja"]


def test_search_catches_up_before_reading(bench, session):
    bench.add("eka", title="Eka", summary="S.")
    from factories import make_entry

    make_entry(session, "toka", title="Omavalmentaja", summary="S.")  # committed, index not told
    from ideapankki.search import results as searching
    from ideapankki.search.filters import Filters

    result = searching.find(session, bench.index, "omavalmentaja", Filters())
    assert [e.slug for e in result.entries] == ["toka"]


def test_rebuild_swaps_a_new_folder_in_atomically(bench):
    bench.add("a", title="Omavalmentaja", summary="S.")
    before = bench.index.store.current.resolve()
    with bench.index.readers.searcher():
        pass
    assert bench.index.rebuild() == 1
    after = bench.index.store.current.resolve()
    assert after != before and not before.exists()
    assert bench.slugs("omavalmentaja") == ["a"]


def test_changed_analysis_forces_a_rebuild(bench):
    bench.add("a", title="Omavalmentaja", summary="S.")
    store = bench.index.store
    state = store.read_state()
    state.analyzer_version = -1
    store.write_state(state)
    old = store.current.resolve()
    bench.index.catch_up()
    assert store.current.resolve() != old
    assert store.read_state().analyzer_version != -1
    assert bench.slugs("omavalmentaja") == ["a"]


def test_an_index_of_an_older_layout_is_rebuilt_and_keeps_the_analyses(bench):
    """A generation whose documents lack what reads now use (its state file says an older layout, or
    none) is rebuilt like one of an older analysis; the Voikko analyses in lemmas.sqlite stay."""
    bench.add("a", title="Omavalmentaja", summary="S.", body="Omavalmentaja auttaa kunnissa.")
    store = bench.index.store
    data = json.loads((store.current / "state.json").read_text())
    del data["layout"]  # as an index written before layouts were recorded
    (store.current / "state.json").write_text(json.dumps(data))
    assert store.read_state().layout == 0 and not store.is_current()
    learned = store.lemmas.load()
    old = store.current.resolve()
    restarted = SearchIndex(store.root, bench.engine)
    restarted.refresh_if_behind()
    assert store.current.resolve() != old and store.read_state().layout == LAYOUT and store.is_current()
    assert store.lemmas.load() >= learned
    (hit,) = restarted.search("kunta").hits
    assert hit.slug == "a" and "<mark>kunnissa</mark>" in hit.highlight


def test_a_new_process_rebuilds_an_index_of_older_analysis_before_its_first_read(bench):
    """After an upgrade that changes the analysis, nothing is pending, yet the index is rebuilt."""
    bench.add("a", title="Miten omavalmentaja auttaa", summary="S.")
    store = bench.index.store
    state = store.read_state()
    state.analyzer_version = -1
    store.write_state(state)
    old = store.current.resolve()
    restarted = SearchIndex(store.root, bench.engine)
    restarted.refresh_if_behind()
    assert store.current.resolve() != old and store.read_state().analyzer_version != -1
    assert [hit.slug for hit in restarted.search("miten").hits] == ["a"]


def test_missing_index_is_built_on_first_catch_up(bench, session):
    from factories import make_entry

    make_entry(session, "a", title="Omavalmentaja", summary="S.")
    assert not bench.index.store.exists()
    bench.index.catch_up()
    assert bench.slugs("omavalmentaja") == ["a"]


def test_readers_survive_concurrent_commits_and_swaps(bench, session):
    from factories import make_entry

    bench.add("alku", title="Omavalmentaja alku", summary="S.")
    errors, stop = [], threading.Event()

    def read():
        while not stop.is_set():
            try:
                assert "alku" in bench.slugs("omavalmentaja")
            except Exception as exc:  # noqa: BLE001 - collected and reported below
                errors.append(exc)
                return

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for i in range(8):
            make_entry(session, f"uusi-{i}", title=f"Omavalmentaja {i}", summary="S.")
            bench.index.catch_up()
            if i % 3 == 2:
                bench.index.rebuild()
    finally:
        stop.set()
        reader.join(timeout=30)
    assert errors == []
    assert len(bench.slugs("omavalmentaja")) == 9


def test_a_writer_lock_held_elsewhere_does_not_block_reads(bench):
    bench.add("a", title="Omavalmentaja", summary="S.")
    with bench.index.store.writing():
        assert bench.index.catch_up(wait=False) == 0
        assert bench.slugs("omavalmentaja") == ["a"]


def test_gaps_wait_for_late_commits_then_expire():
    state = IndexState(applied_upto=10)
    _advance(state, {11, 13}, now=1000.0)
    assert state.applied_upto == 11 and state.applied_above == [13] and "12" in state.gaps
    _advance(state, {12}, now=1001.0)  # the late transaction committed: applied, no gap left
    assert state.applied_upto == 13 and state.applied_above == [] and state.gaps == {}
    _advance(state, {15}, now=2000.0)
    assert state.applied_upto == 13
    _advance(state, set(), now=2000.0 + GAP_TIMEOUT_S + 1)  # 14 never came: a rollback
    assert state.applied_upto == 15 and state.gaps == {}


def test_reindex_command(tmp_path, monkeypatch, databases):
    """import, reindex and search through the CLI, on a copy of the migrated template (a migration
    from nothing cost ~2 s; `init` on an empty database is tests/test_cli.py's)."""
    from factories import CONTENT_DIR
    from ideapankki.cli import main

    databases.for_instance(tmp_path / "instance", monkeypatch)
    runner = CliRunner()
    assert runner.invoke(main, ["import", str(CONTENT_DIR), "--publish"]).exit_code == 0
    result = runner.invoke(main, ["reindex"])
    count = sum(1 for p in CONTENT_DIR.rglob("*.md") if p.parent.name != "programmes")  # entries only
    assert result.exit_code == 0 and f"Search index rebuilt: {count} published entries." in result.output
    found = runner.invoke(main, ["search", "perusopetuksen", "--json", "--limit", "3"])
    assert json.loads(found.output)["total"] >= 2


def test_large_rebuild_in_parallel_processes_finds_everything(bench, session, monkeypatch):
    from factories import make_entry
    from ideapankki.search import indexer

    monkeypatch.setattr(indexer, "PARALLEL_FROM", 5)
    for i in range(12):
        make_entry(session, f"rinn-{i}", title=f"Omavalmentaja {i}", summary="S.", commit=False)
    session.commit()
    assert bench.index.rebuild() == 12
    assert len(bench.slugs("omavalmentaja")) == 12
    assert bench.index.search("", per_page=50).total == 12


def test_catch_up_of_entries_never_indexed_advances_the_log_without_an_index_commit(bench, session):
    """Drafts and submissions are not in the index: applying their change-log rows must not
    commit a new Whoosh generation (a commit per submission cost a form post ~6 ms), yet the
    rows count as applied; an entry that leaves the index is still deleted from it."""
    bench.add("julkaistu")
    tocs = sorted(p.name for p in bench.index.store.current.glob("_MAIN_*.toc"))
    make_entry(session, "luonnos", state=EntryState.draft)
    make_entry(session, "lahetetty", state=EntryState.submitted)
    assert bench.index.catch_up() == 2
    assert sorted(p.name for p in bench.index.store.current.glob("_MAIN_*.toc")) == tocs
    assert bench.index.pending() == 0
    entry = entries.get_by_slug(session, "julkaistu")
    workflow.place_by_operator(session, entry, EntryState.archived, "test")
    session.commit()
    bench.index.catch_up()
    assert bench.slugs() == []
    assert sorted(p.name for p in bench.index.store.current.glob("_MAIN_*.toc")) != tocs


def test_a_catch_up_opens_the_index_only_for_entries_it_may_hold(bench, session, monkeypatch):
    """An entry with an id above every id the generation ever indexed (a new submission) cannot be in
    it: applying its row reads no index file. One at or below it is looked up and removed; so is
    any, when the state file comes from before indexed_max was kept."""
    published = bench.add("julkaistu")
    assert bench.index.store.read_state().indexed_max == published.id
    make_entry(session, "luonnos", state=EntryState.draft)
    make_entry(session, "lahetetty", state=EntryState.submitted)
    monkeypatch.setattr(bench.index.store, "open", lambda: pytest.fail("the index was opened"))
    assert bench.index.catch_up() == 2 and bench.index.pending() == 0
    monkeypatch.undo()
    workflow.place_by_operator(session, entries.get_by_slug(session, "julkaistu"), EntryState.archived, "test")
    session.commit()
    store = bench.index.store
    state = store.read_state()
    state.indexed_max = None  # written by older code: every unpublished entry is looked up
    store.write_state(state)
    bench.index.catch_up()
    assert bench.slugs() == [] and store.read_state().indexed_max is None


def test_an_entry_indexed_by_a_catch_up_that_died_before_its_state_is_still_removed_later(bench, session, monkeypatch):
    """indexed_max reaches the disk before the documents do: a catch-up that dies after the Whoosh
    commit (here in the similar entries) leaves no document above it for a later catch-up to miss."""
    from ideapankki.search import neighbours

    bench.add("vanha")
    entry = make_entry(session, "uusi", title="Omavalmentaja", summary="S.")
    monkeypatch.setattr(neighbours, "refresh", lambda *args: (_ for _ in ()).throw(OSError("killed")))
    with pytest.raises(OSError):
        bench.index.catch_up()
    monkeypatch.undo()
    assert bench.index.store.read_state().indexed_max == entry.id  # the rows themselves are still pending
    workflow.place_by_operator(session, entry, EntryState.archived, "test")
    session.commit()
    SearchIndex(bench.index.store.root, bench.engine).catch_up()
    assert bench.slugs("omavalmentaja") == []
