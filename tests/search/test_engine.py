"""The search engine's own parts: array scoring against Whoosh's, the lasting lemma cache, spelling."""

import pytest
from whoosh import scoring

from ideapankki.models import EntryState
from ideapankki.search import analysis, lemmas
from ideapankki.search.parsing import parse_query
from ideapankki.search.spelling import close_words
from ideapankki.search.vectors import evaluate, top
from ideapankki.workflow import place_by_operator

TEXTS = [
    ("a", "Kuntakokeilu pienissä kunnissa", "Kokeilu kunnissa.", "Kunnat kokeilivat uutta mallia kuntakokeilussa."),
    ("b", "Perusopetus ja etäopetus", "Koulut kokeilevat.", "Perusopetuksen kokeilu pienissä kouluissa ja kunnissa."),
    ("c", "Omavalmentaja", "Työnhakijan tuki.", "Omavalmentaja tukee työnhakijaa kunnan palveluissa joka viikko."),
    ("d", "Henkilöstön mitoitus", "Mitoitus joustaa.", "Henkilöstömitoitus päiväkodeissa ja kunnissa."),
]


@pytest.fixture
def filled(bench):
    for slug, title, summary, body in TEXTS:
        bench.add(slug, title=title, summary=summary, body=body)
    return bench


@pytest.mark.parametrize("text", ["kunta", "kokeilu kunnissa", "henkilöstömitoitus", "perusopetus kokeilu koulu"])
def test_array_scores_equal_whooshs_bm25f(filled, text, monkeypatch):
    """The numpy evaluation must score exactly as Whoosh's own matchers would, but for one choice:
    a field's average length is over the documents that have the field (vectors.Corpus.lengths)."""
    with filled.index.readers.searcher() as searcher:
        view = filled.index.readers.corpus(searcher)
        query = parse_query(searcher.schema, text).ranked
        scores, matched = evaluate(view.corpus, query)
        ours = {docnum: float(scores[docnum]) for docnum in range(view.corpus.size) if matched[docnum]}
        having = {name: sum(1 for d in range(view.corpus.size) if searcher.reader().doc_field_length(d, name))
                  for name in searcher.schema.names()}
        monkeypatch.setattr(type(searcher), "avg_field_length", lambda self, name, default=0.0: (
            self.field_length(name) / having[name] if having.get(name) else default))
        results = searcher.search(query, limit=None, scored=True)
        assert isinstance(searcher.weighting, scoring.BM25F)
        theirs = {hit.docnum: hit.score for hit in results}
    assert ours.keys() == theirs.keys() and ours
    for docnum, score in theirs.items():
        assert ours[docnum] == pytest.approx(score, rel=1e-4)


def test_an_or_skips_an_and_with_a_term_in_no_text_and_scores_the_same_bits(filled):
    """An And part of an Or with a term no text has adds nothing: it is not scored (not in the memo),
    and the scores are those of the Or without it, bit for bit; the same And alone still evaluates."""
    from whoosh import query as Q

    with filled.index.readers.searcher() as searcher:
        corpus = filled.index.readers.corpus(searcher).corpus
        kunta = parse_query(searcher.schema, "kunta").ranked
        empty = Q.And([Q.Term("body_fi", "kunta"), Q.Term("body_fi", "eisanaamissaantekstissa")])
        full = Q.And([Q.Term("body_fi", "kunta"), Q.Term("title_fi", "kunta")])
        memo: dict = {}
        with_parts = evaluate(corpus, Q.Or([kunta, empty, full]), memo)
        without = evaluate(corpus, Q.Or([kunta, full]))
        assert id(empty) not in memo and id(full) in memo
        assert with_parts[0].tobytes() == without[0].tobytes() and (with_parts[1] == without[1]).all()
        assert not evaluate(corpus, empty)[1].any() and evaluate(corpus, full)[1].any()


def test_an_or_of_terms_with_one_in_any_text_adds_the_same_bits_without_its_arrays(filled):
    """A per-field Or of terms only one of which is in a text (a word's forms in most fields) adds its
    term's scores times both boosts to its parent, not its own whole arrays (not in the memo): the
    scores and matches are those of evaluating it whole, bit for bit; an Or of terms in no text adds nothing."""
    from whoosh import query as Q

    from ideapankki.search.scoring import boosted

    with filled.index.readers.searcher() as searcher:
        corpus = filled.index.readers.corpus(searcher).corpus
        lone = boosted(Q.Or([Q.Term("body_fi", "eisanaa"), Q.Term("body_fi", "kunta", boost=0.5)]), 3.0)
        nothing = Q.Or([Q.Term("title_sv", "eisanaa"), Q.Term("body_sv", "eikaan")])
        other = Q.Term("title_fi", "kokeilu")
        memo: dict = {}
        parts = evaluate(corpus, Q.Or([other, lone, nothing]), memo)
        assert id(lone) not in memo and id(nothing) not in memo
        whole_lone, whole_nothing = evaluate(corpus, lone), evaluate(corpus, nothing)
        assert whole_lone[1].any() and not whole_nothing[1].any()
        expected_scores = evaluate(corpus, other)[0] + whole_lone[0] + whole_nothing[0]
        expected_matched = evaluate(corpus, other)[1] | whole_lone[1]
        assert parts[0].tobytes() == expected_scores.tobytes() and (parts[1] == expected_matched).all()


def test_top_orders_by_score_then_docnum_and_newest_by_day(filled):
    with filled.index.readers.searcher() as searcher:
        corpus = filled.index.readers.corpus(searcher).corpus
        scores, matched = evaluate(corpus, parse_query(searcher.schema, "kunta").ranked)
        ranked = top(corpus, scores, matched, 10, newest=False)
        assert [float(scores[d]) for d in ranked] == sorted((float(scores[d]) for d in ranked), reverse=True)
        assert top(corpus, scores, matched, 2, newest=False) == ranked[:2]
        newest = top(corpus, scores, matched, 10, newest=True)
        days = [int(corpus.published[d]) for d in newest]
        assert days == sorted(days, reverse=True) and set(newest) == set(ranked)


def test_lemma_cache_outlives_the_process_and_follows_the_analyzer_version(filled, monkeypatch):
    path = filled.index.store.lemmas.path
    fresh = lemmas.LemmaStore(path)  # as a new process sees the file
    analysis.LEMMAS.clear()
    assert fresh.load() > 0
    assert "omavalmentaja" in fresh.words
    assert analysis.LEMMAS["kunnissa"].forms == ("kunta",)
    monkeypatch.setattr(lemmas, "ANALYZER_VERSION", analysis.ANALYZER_VERSION + 1)
    assert lemmas.LemmaStore(path).load() == 0  # another analysis: start afresh


def test_new_words_of_other_processes_reach_the_spelling_vocabulary(filled):
    other = lemmas.LemmaStore(filled.index.store.lemmas.path)
    other.add({"yhdysluokka": analysis.analyse_word("yhdysluokka")})
    assert "yhdysluokka" not in filled.index.store.lemmas.words
    filled.index.store.lemmas.refresh()
    assert "yhdysluokka" in filled.index.store.lemmas.words


def test_close_words_include_the_first_word_of_the_vocabulary():
    # Whoosh's ListCorrector steps over the first word; ours must not.
    assert close_words(["omavalmentaja", "tuki"], "omavalmentja") == [(1, "omavalmentaja")]
    assert close_words(["aa", "kunta", "kunto"], "kunya") == [(1, "kunta"), (2, "kunto")]


def test_words_of_a_withdrawn_entry_are_never_suggested(bench, session):
    secret = bench.add("sala", title="Salaprojekti", summary="S.", body="Salaprojekti etenee.")
    bench.add("muu", title="Projekti", summary="S.", body="Sala ja projekti. Projekti jatkuu.")
    bench.add("muu2", title="Projekti kaksi", summary="S.", body="Sala ja projekti jatkuvat.")
    assert bench.index.search("salaprojekt").suggestion == "salaprojekti"
    place_by_operator(session, secret, EntryState.archived, "test")
    session.commit()
    bench.index.catch_up()
    response = bench.index.search("salaprojekt")
    assert response.suggestion is None and response.total == 0

