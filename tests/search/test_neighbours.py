"""Similar entries are computed when the index changes (search/neighbours.py), never per view:
a rebuild fills every list, a catch-up recomputes what it changed and what named it, and a read
only looks its list up."""

from __future__ import annotations

import pytest

from factories import make_entry
from ideapankki.models import EntryState
from ideapankki.search import SearchIndex, indexer, neighbours, store
from ideapankki.search.vectors import Corpus, SegmentCache
from ideapankki.workflow import place_by_operator

TOPICS = [
    ("etä", "Etäopetus pienissä kouluissa", "Etäopetus auttaa pieniä kouluja. Opettajat opettavat etänä."),
    ("eta2", "Etäopetuksen kokeilu", "Etäopetus ja opettajat pienissä kouluissa."),
    ("vuokra", "Vuokra-asunnot", "Asuntojen rakentaminen ja vuokrat kunnassa."),
    ("asunto", "Kohtuuhintainen asuminen", "Vuokra-asuntoja rakennetaan ja vuokrat pysyvät kohtuullisina."),
    ("liikunta", "Liikuntaa ikäihmisille", "Ikäihmisten liikunta ja kuntosalit."),
    ("ikä", "Ikäihmisten kotihoito", "Kotihoito ja ikäihmisten liikunta kotona."),
]


def _add_all(session, index):
    entries = {slug: make_entry(session, slug, title=title, summary="Kuntakokeilu.", body=body)
               for slug, title, body in TOPICS}
    index.catch_up()
    return entries


def _fresh(index: SearchIndex, ids) -> dict[int, list[int]]:
    """Every list computed anew over the current index, with an empty postings cache."""
    with index.store.open().searcher() as searcher:
        corpus = Corpus(searcher.reader(), SegmentCache())
        return {i: neighbours.similar_ids(searcher, corpus, i) for i in ids}


def _stored(index: SearchIndex, ids) -> dict[int, list[int] | None]:
    lists = neighbours.Lists(index.store.current.resolve())
    try:
        return {i: lists.get(i) for i in ids}
    finally:
        lists.close()


@pytest.mark.parametrize("forked", [False, True])
def test_a_rebuild_stores_every_entrys_list_as_computed_afresh(bench, session, monkeypatch, forked):
    if forked:
        monkeypatch.setattr(indexer, "PARALLEL_FROM", 1)  # forked processes, as for a large bank
    entries = _add_all(session, bench.index)
    assert bench.index.rebuild() == len(TOPICS)
    ids = [e.id for e in entries.values()]
    stored = _stored(bench.index, ids)
    assert stored == _fresh(bench.index, ids)
    assert stored[entries["etä"].id][0] == entries["eta2"].id
    assert (bench.index.store.current / store.SIMILAR_DONE).exists()


def test_reading_a_list_computes_nothing(bench, session, monkeypatch):
    entries = _add_all(session, bench.index)
    expected = _stored(bench.index, [entries["vuokra"].id])[entries["vuokra"].id]

    def refuse(*args, **kwargs):
        raise AssertionError("a read computed similar entries")

    monkeypatch.setattr(neighbours, "similar_ids", refuse)
    assert bench.index.more_like(entries["vuokra"].id, 8) == expected
    assert bench.index.more_like(entries["vuokra"].id, 1) == expected[:1] == [entries["asunto"].id]


def test_a_new_entry_joins_the_lists_of_the_entries_it_resembles(bench, session):
    entries = _add_all(session, bench.index)
    newcomer = bench.add("liikunta2", title="Ikäihmisten liikuntaryhmät",
                         summary="Kuntakokeilu.", body="Ikäihmisten liikunta ryhmissä ja kuntosalit.")
    stored = _stored(bench.index, [entries["liikunta"].id, newcomer.id])
    assert newcomer.id in stored[entries["liikunta"].id]
    assert entries["liikunta"].id in stored[newcomer.id]


def test_an_unpublished_entry_leaves_every_list_and_its_own_goes(bench, session):
    entries = _add_all(session, bench.index)
    gone = entries["eta2"]
    assert gone.id in _stored(bench.index, [entries["etä"].id])[entries["etä"].id]
    place_by_operator(session, gone, EntryState.archived, "test")
    session.commit()
    bench.index.catch_up()
    ids = [e.id for e in entries.values() if e.id != gone.id]
    stored = _stored(bench.index, ids + [gone.id])
    assert stored.pop(gone.id) is None
    assert all(gone.id not in found for found in stored.values())
    assert stored == _fresh(bench.index, ids)  # the lists that named it were computed again


def test_an_index_without_lists_is_rebuilt_with_them(bench, session):
    entries = _add_all(session, bench.index)
    for name in (neighbours.FILE, store.SIMILAR_DONE):  # as an index made before the lists existed
        (bench.index.store.current / name).unlink()
    assert not bench.index.store.is_current()
    bench.index.catch_up()
    assert bench.index.store.is_current()
    assert _stored(bench.index, [entries["etä"].id])[entries["etä"].id][0] == entries["eta2"].id


def _shown(index: SearchIndex, ids) -> dict[int, list | None]:
    lists = neighbours.Lists(index.store.current.resolve())
    try:
        return {i: lists.shown(i) for i in ids}
    finally:
        lists.close()


def _database_rows(session, ids) -> dict[int, list]:
    """What the page read from the database before: (id, slug, type, title, language) of each entry."""
    from sqlmodel import select

    from ideapankki.models import Entry

    session.expire_all()
    rows = session.exec(select(Entry.id, Entry.slug, Entry.type, Entry.title, Entry.language).where(Entry.id.in_(ids)))
    return {row[0]: [row[0], row[1], str(getattr(row[2], "value", row[2])), row[3], str(getattr(row[4], "value", row[4]))]
            for row in rows}


def _assert_shown_is_the_database(index: SearchIndex, session, ids) -> None:
    stored, shown = _stored(index, ids), _shown(index, ids)
    for entry_id in ids:
        assert stored[entry_id] is not None and shown[entry_id] is not None
        database = _database_rows(session, stored[entry_id])
        assert shown[entry_id] == [database[other] for other in stored[entry_id]]


@pytest.mark.parametrize("forked", [False, True])
def test_the_rows_shown_beside_each_list_are_the_databases(bench, session, monkeypatch, forked):
    """A rebuild and a catch-up keep (id, slug, type, title, language) of each listed entry, in the
    list's order, as the database has them: an entry page shows them without reading the database."""
    if forked:
        monkeypatch.setattr(indexer, "PARALLEL_FROM", 1)
    entries = _add_all(session, bench.index)
    ids = [e.id for e in entries.values()]
    _assert_shown_is_the_database(bench.index, session, ids)  # a catch-up's lists
    bench.index.rebuild()
    _assert_shown_is_the_database(bench.index, session, ids)  # a rebuild's


def test_a_neighbours_new_title_and_type_are_in_the_lists_that_show_it(bench, session):
    entries = _add_all(session, bench.index)
    edited = entries["eta2"]
    assert edited.id in _stored(bench.index, [entries["etä"].id])[entries["etä"].id]
    edited.title, edited.type = "Etäopetuksen kokeilu saaristossa", "idea"
    session.commit()
    bench.index.catch_up()
    shown = _shown(bench.index, [entries["etä"].id])[entries["etä"].id]
    assert [edited.id, "eta2", "idea", "Etäopetuksen kokeilu saaristossa", "fi"] in shown
    _assert_shown_is_the_database(bench.index, session, [e.id for e in entries.values()])


def test_a_generation_without_shown_rows_answers_none(bench, session):
    """An older generation's file (no shown column) or a list stored without rows: the page reads the database."""
    entries = _add_all(session, bench.index)
    path = bench.index.store.current.resolve() / neighbours.FILE
    import sqlite3

    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE similar SET shown = NULL")
    assert set(_shown(bench.index, [e.id for e in entries.values()]).values()) == {None}
    with sqlite3.connect(path) as connection:
        connection.execute("ALTER TABLE similar DROP COLUMN shown")
    assert set(_shown(bench.index, [e.id for e in entries.values()]).values()) == {None}
    assert neighbours._shown([(1, "a", None, "t", "fi")]) is None
