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
