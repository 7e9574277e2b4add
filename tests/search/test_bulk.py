"""The rebuild's own writer and its forked processes write the index Whoosh would have written."""

import os

import pytest
from whoosh.writing import SegmentWriter

from ideapankki.search import analysis, bulk, indexer, lemmas
from ideapankki.search.schema import IndexCodec, WordCounts, build_schema
from ideapankki.search.store import open_dir

TEXTS = [
    ("kuntakokeilu", "Kuntakokeilu pienissä kunnissa", "Kokeilu kunnissa ja kaupungeissa.",
     "Kunnat kokeilivat uutta mallia kuntakokeilussa. Kunnat, kunnat ja kunnat: kokeilu kokeilun perään."),
    ("perusopetus", "Perusopetus ja etäopetus", "Koulut kokeilevat.",
     "Perusopetuksen kokeilu pienissä kouluissa ja kunnissa, perusopetuslain 1269/2020 2 § mukaan."),
    ("omavalmentaja", "Omavalmentaja", "Työnhakijan tuki Vaasassa.",
     "Omavalmentaja tukee työnhakijaa kunnan palveluissa joka viikko Helsingissä ja Vasassa."),
    ("mitoitus", "Henkilöstön mitoitus", "Mitoitus joustaa.",
     "Henkilöstömitoitus päiväkodeissa ja kunnissa. " + "Mitoitus " * 300),
    ("svenska", "Försök i kommunerna", "Kommunerna prövar.", "Kommunförsöket i Vasa och Helsingfors."),
]


@pytest.fixture
def filled(bench):
    for slug, title, summary, body in TEXTS:
        bench.add(slug, title=title, summary=summary, body=body, language="sv" if slug == "svenska" else "fi")
    return bench


def _documents(bench):
    ids = sorted(entry.id for entry in indexer._published(bench.session))
    return ids, indexer._documents(bench.engine, bench.index.store, ids)


def _contents(ix) -> dict:
    """Everything a search reads: terms with their postings and statistics, stored fields, lengths."""
    with ix.reader() as reader:
        postings = {}
        for fieldname, text in reader.all_terms():
            matcher = reader.postings(fieldname, text)
            found = []
            while matcher.is_active():
                found.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            info = reader.term_info(fieldname, text)
            postings[fieldname, text] = (found, info.weight(), info.doc_frequency(), info.max_weight())
        names = sorted(reader.indexed_field_names())
        documents = [(sorted(reader.stored_fields(docnum).items()),
                      [(name, length) for name in names if (length := reader.doc_field_length(docnum, name))])
                     for docnum in range(reader.doc_count_all())]
        return {"postings": postings, "documents": documents, "published": list(reader.column_reader("published"))}


def _build(store, make_writer, docs):
    ix = open_dir(store.new_generation())
    writer = make_writer(ix)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    return ix


def test_word_counts_give_the_postings_of_whooshs_frequency_format(filled):
    """Counting per distinct word must give the terms, frequencies and weights of token-by-token analysis."""
    schema = build_schema()
    _ids, docs = _documents(filled)
    compared = 0
    for doc in docs:
        for name, value in doc.items():
            field = schema[name]
            if isinstance(field.format, WordCounts):
                theirs = sorted(super(WordCounts, field.format).word_values(value, field.analyzer, mode="index"))
                assert sorted(field.format.word_values(value, field.analyzer, mode="index")) == theirs
                compared += 1
    assert compared >= len(TEXTS) * 4


def test_bulk_writer_writes_what_whooshs_segment_writer_writes(filled):
    store = filled.index.store
    _ids, docs = _documents(filled)
    theirs = _build(store, lambda ix: SegmentWriter(ix, codec=IndexCodec()), docs)
    ours = _build(store, lambda ix: bulk.BulkWriter(ix, codec=IndexCodec()), docs)
    expected = _contents(theirs)
    theirs.close()
    assert expected["postings"] and len(expected["documents"]) == len(TEXTS)
    assert any(len(found) > 1 and weight > len(found) for found, weight, _df, _mw in expected["postings"].values())
    assert _contents(ours) == expected
    ours.close()


def test_bulk_writer_refuses_an_index_with_segments(filled):
    ix = filled.index.store.open()
    with pytest.raises(ValueError, match="empty index"):
        bulk.BulkWriter(ix, codec=IndexCodec())
    ix.close()


def test_a_rebuild_in_forked_processes_equals_one_in_this_process(filled, monkeypatch, tmp_path):
    """Each child reads, analyses and indexes its share; together they make the same index."""
    store = filled.index.store
    indexer.rebuild(store, filled.engine)
    ix = store.open()
    single = _contents(ix)
    ix.close()
    monkeypatch.setattr(indexer, "PARALLEL_FROM", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    original = indexer._documents
    readers = tmp_path / "readers"

    def documents(engine, index_store, ids, turn=None):
        with readers.open("a") as fh:
            fh.write(f"{os.getpid()} {turn[0]}/{turn[1]} {len(ids)}\n")
        return original(engine, index_store, ids, turn)

    monkeypatch.setattr(indexer, "_documents", documents)
    assert indexer.rebuild(store, filled.engine) == len(TEXTS)
    ix = store.open()
    assert len(ix._segments()) == 2  # one per process
    parallel = _contents(ix)
    # Segments renumber documents, so compare what each entry holds, not docnums.
    assert sorted(parallel["documents"]) == sorted(single["documents"])
    assert parallel["postings"].keys() == single["postings"].keys()
    ix.close()
    lines = sorted(line.split() for line in readers.read_text().splitlines())
    assert sorted((turn, count) for _pid, turn, count in lines) == [("0/2", "3"), ("1/2", "2")]
    assert len({pid for pid, _f, _c in lines} | {str(os.getpid())}) == 3  # two children, not this process
    # "kunta" also reaches the Swedish "kommunerna" through the thesaurus (cross-language)
    assert set(filled.slugs("kunta")) == {"kuntakokeilu", "perusopetus", "mitoitus", "omavalmentaja", "svenska"}


def test_a_failing_child_fails_the_rebuild_and_leaves_the_current_index(filled, monkeypatch):
    store = filled.index.store
    before = store.current.resolve()
    monkeypatch.setattr(indexer, "PARALLEL_FROM", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)

    def broken(engine, index_store, ids, turn=None):
        raise LookupError("no such entry")

    monkeypatch.setattr(indexer, "_documents", broken)
    with pytest.raises(RuntimeError, match="LookupError: no such entry"):
        indexer.rebuild(store, filled.engine)
    assert store.current.resolve() == before
    assert filled.slugs("kunta")


def test_learning_alongside_other_processes_learns_every_word_once(tmp_path, monkeypatch):
    """Process 1 of 2 starts halfway through its words and keeps them all, in the shared file too."""
    words = {"kunnissa", "kokeilussa", "perusopetuksen", "omavalmentajan", "mitoituksesta"}
    for word in words:
        analysis.LEMMAS.pop(word, None)
    monkeypatch.setattr(lemmas, "ALONGSIDE_CHUNK", 2)
    analysed = []
    monkeypatch.setattr(analysis, "analyse_word", lambda word, real=analysis.analyse_word: analysed.append(word)
                        or real(word))
    store = lemmas.LemmaStore(tmp_path / "lemmas.sqlite")
    assert lemmas.learn(words | {"1269/2020"}, store, turn=(1, 2)) == len(words)
    assert analysed[0] == sorted(words)[2] and sorted(analysed) == sorted(words)
    assert lemmas.learn(words, store, turn=(0, 2)) == 0
    other = lemmas.LemmaStore(tmp_path / "lemmas.sqlite")
    other.load()
    assert set(other.words) == words



def test_words_of_the_same_analysis_share_one_lemma_when_loaded(tmp_path):
    """A worker's lemma cache (the master's, loaded before the fork) holds each distinct analysis
    once: the words are as they were stored, the inflections of a word one object."""
    stored = {"xkunnissa": analysis.Lemma(("xkunta",)), "xkunnat": analysis.Lemma(("xkunta",)),
              "xkokeiluja": analysis.Lemma(("xkokeilu",), ("xkoe", "xilu"), False)}
    try:
        lemmas.LemmaStore(tmp_path / "lemmas.sqlite").add(stored)
        assert lemmas.LemmaStore(tmp_path / "lemmas.sqlite").load() == 3
        assert {word: analysis.LEMMAS[word] for word in stored} == stored
        assert analysis.LEMMAS["xkunnissa"] is analysis.LEMMAS["xkunnat"]
    finally:
        for word in stored:
            analysis.LEMMAS.pop(word, None)

def test_a_rebuild_reports_its_progress(bench):
    for slug in ("a", "b", "c"):
        bench.add(slug, title=f"Kokeilu {slug}", summary="S.", body="Teksti.")
    calls = []
    assert bench.index.rebuild(progress=lambda done, total: calls.append((done, total))) == 3
    assert calls[-1] == (6, 6)  # two steps per entry: indexed, then its similar entries found


def test_a_parallel_rebuild_reports_its_progress(bench, monkeypatch):
    from ideapankki.search import indexer

    monkeypatch.setattr(indexer, "PARALLEL_FROM", 1)  # forked writers, as for a large bank
    for slug in ("a", "b", "c", "d"):
        bench.add(slug, title=f"Kokeilu {slug}", summary="S.", body="Teksti.")
    calls = []
    assert bench.index.rebuild(progress=lambda done, total: calls.append((done, total))) == 4
    assert calls[-1] == (8, 8) and all(total == 8 for _done, total in calls)
