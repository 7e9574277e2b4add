"""Corpus's BM25 table drops its least recently used terms when full, not the whole table."""

import numpy as np

from ideapankki.search import vectors
from ideapankki.search.vectors import Corpus


def _corpus(monkeypatch, terms: int, kept_bytes: int = 1 << 30) -> tuple[Corpus, list]:
    monkeypatch.setattr(vectors, "KEPT_TERMS", terms)
    monkeypatch.setattr(vectors, "KEPT_BYTES", kept_bytes)
    corpus = Corpus.__new__(Corpus)  # the table alone: no index behind it
    corpus._scores, corpus._held = {}, [0]
    scored = []

    def bm25(fieldname, text):
        scored.append(text)
        return np.arange(4, dtype=np.int32), np.ones(4, dtype=np.float32)

    corpus._bm25 = bm25
    return corpus, scored


def test_a_term_in_use_stays_when_the_table_fills(monkeypatch):
    corpus, scored = _corpus(monkeypatch, terms=4)
    for word in ["kunta", "a", "kunta", "b", "kunta", "c", "kunta", "d", "kunta", "e", "kunta"]:
        corpus.bm25("body_fi", word)
    assert scored == ["kunta", "a", "b", "c", "d", "e"]  # kunta scored once; the oldest others made room
    assert [t for _f, t in corpus._scores] == ["c", "d", "e", "kunta"]  # most recently used last


def test_the_bytes_held_stay_within_the_budget(monkeypatch):
    per_term = 4 * 4 + 4 * 4
    corpus, _scored = _corpus(monkeypatch, terms=1000, kept_bytes=3 * per_term)
    for word in "abcdefgh":
        corpus.bm25("body_fi", word)
        assert corpus._held[0] <= 3 * per_term and corpus._held[0] == per_term * len(corpus._scores)
    assert [t for _f, t in corpus._scores] == ["f", "g", "h"]
