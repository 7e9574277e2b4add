"""The entries nearest a query that found nothing: so a reader is never left with an empty page.

When neither the words as typed nor a safe correction (spelling.py) find anything, each word of
four letters or more is widened to the index's words that begin as it does (its first half, at
least four letters; ä, ö and å folded): "kirjastoautopysäkki" reaches kirjastoauto,
"ympäristölupahakemus" reaches ympäristölupa. Those entries are offered as the nearest ones, never
as results.
"""

from __future__ import annotations

from bisect import bisect_left

from whoosh import query as Q

from .parsing import query_words, word_query
from .reading import Readers
from .spelling import fold, folded_vocabulary
from .vectors import evaluate, top

MIN_PREFIX = 4
MAX_WORDS = 30  # index words tried per typed word


def widened(vocabulary: list[str], word: str) -> list[str]:
    """The index's words that begin as WORD does (folded), at most MAX_WORDS, shortest first."""
    ordered, spellings = folded_vocabulary(vocabulary)
    prefix = fold(word)[:max(MIN_PREFIX, (len(word) + 1) // 2)]
    found = []
    for folded in ordered[bisect_left(ordered, prefix):]:
        if not folded.startswith(prefix):
            break
        found += spellings[folded]
    return sorted(found, key=lambda w: (len(w), w))[:MAX_WORDS]


def nearest_ids(readers: Readers, text: str, voikko: bool, limit: int = 5) -> list[int]:
    """Ids of the published entries nearest TEXT by the beginnings of its words ([] if none)."""

    def operation(searcher) -> list[int]:
        view = readers.corpus(searcher)
        vocabulary = readers.store.lemmas.vocabulary()
        parts = [q for word in query_words(text) if len(word) >= MIN_PREFIX
                 for other in widened(vocabulary, word) if (q := word_query(searcher.schema, other, voikko)) is not None]
        if not parts:
            return []
        scores, matched = evaluate(view.corpus, Q.Or(parts))
        return [int(searcher.stored_fields(d)["id"]) for d in top(view.corpus, scores, matched, limit, False)]

    return readers.run(operation)
