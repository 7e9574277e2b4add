"""Similar entries over segments with deleted documents: the postings are read a block at a time
(under Whoosh's deleted-documents filter), deleted documents are masked out afterwards, and what
the segment cache keeps does not depend on which generation first read a segment."""

from __future__ import annotations

from factories import make_entry
from ideapankki.models import EntryState
from ideapankki.search import SearchIndex, neighbours, postings, vectors
from ideapankki.workflow import place_by_operator

WORDS = ["etäopetus", "koulu", "opettaja", "kirjasto", "liikunta", "vanhus", "kotihoito", "nuoriso", "asunto",
         "vuokra", "liikenne", "pyörätie", "ruoka", "energia", "aurinkopaneeli"]


def _body(i: int) -> str:
    picked = [WORDS[(i * k) % len(WORDS)] for k in (1, 2, 3, 5, 7)]
    return " ".join(f"{w.capitalize()} ja {w} kunnassa." for w in picked)


def _similar(index: SearchIndex, ids: list[int]) -> dict[int, list[int]]:
    return {i: index.more_like(i, 5) for i in ids}


def _computed(index: SearchIndex, ids: list[int], cache) -> dict[int, list[int]]:
    with index.store.open().searcher() as searcher:
        corpus = vectors.Corpus(searcher.reader(), cache)
        return {i: neighbours.similar_ids(searcher, corpus, i) for i in ids}


def _deletions(index: SearchIndex) -> bool:
    return index.readers.run(lambda s: any(seg.has_deletions() for seg, _o in s.reader().leaf_readers()))


def test_similar_entries_skip_deleted_documents_and_do_not_depend_on_the_cache(bench, session, monkeypatch):
    entries = [make_entry(session, f"e{i}", title=f"Kokeilu {WORDS[i % len(WORDS)]}", summary="Kuntakokeilu.",
                          body=_body(i)) for i in range(24)]
    bench.index.catch_up()
    ids = [e.id for e in entries]
    before = _similar(bench.index, ids)  # warms the segment cache before any deletion
    assert any(before.values())

    gone = {entries[i].id for i in (1, 4, 9)}
    for entry in entries:
        if entry.id in gone:
            place_by_operator(session, entry, EntryState.archived, "test")
    for i in (2, 7):  # edits: the old document is deleted in the large segment, the new one added
        make_entry(session, f"e{i}", state=EntryState.draft, title=entries[i].title, summary="Muutettu.",
                   body=_body(i + 1), commit=False)
    session.commit()
    bench.index.catch_up()
    assert _deletions(bench.index), "the test needs a segment with deleted documents"

    live = [i for i in ids if i not in gone]
    warm = _similar(bench.index, live)
    for entry_id, similar in warm.items():
        assert not gone & set(similar), f"{entry_id}: similar entries include an unpublished one: {similar}"
        assert entry_id not in similar
    assert any(warm.values())

    # The stored lists were computed with the warm postings cache: computed again with an empty one,
    # and through Whoosh's posting-by-posting path, every list comes out the same.
    with_warm_cache = _computed(bench.index, live, bench.index.readers.segments)
    assert {i: found[:5] for i, found in with_warm_cache.items()} == warm
    assert _computed(bench.index, live, vectors.SegmentCache()) == with_warm_cache
    # The one-read block reader gives what Whoosh's matcher gives, term by term, deleted documents included.
    with bench.index.readers.searcher() as searcher:
        for segment, _offset in searcher.reader().leaf_readers():
            for fieldname in segment.indexed_field_names():
                for term in segment.lexicon(fieldname):
                    text = segment.schema[fieldname].from_bytes(term)
                    fast, slow = postings.read_postings(segment, fieldname, text), postings.matcher_postings(
                        segment, fieldname, text)
                    assert (fast[0].tolist(), fast[1].tolist()) == (slow[0].tolist(), slow[1].tolist()), text
    monkeypatch.setattr(postings, "term_blocks", lambda *_args: None)  # through Whoosh's matcher, then
    monkeypatch.setattr(postings, "reads_blocks", lambda matcher: False)  # posting by posting
    assert _computed(bench.index, live, vectors.SegmentCache()) == with_warm_cache
