""""Did you mean": close spellings of the typed words, offered only when they find more texts.

The vocabulary is the words of indexed texts (kept by lemmas.LemmaStore), searched with
Whoosh's Levenshtein automata. A candidate counts only if the word itself (any
inflection, not merely its compound parts) is in a text of the current index, so nothing of an
entry that is no longer published is ever offered.
"""

from __future__ import annotations

import threading
from bisect import bisect_left

from whoosh.automata.fsa import find_all_matches
from whoosh.automata.lev import levenshtein_automaton

from .analysis import is_literal
from .parsing import build_query, word_query
from .vectors import Corpus, evaluate

MAX_DISTANCE = 2
_close_lock = threading.Lock()
_close: tuple[list[str] | None, dict[str, list[tuple[int, str]]]] = (None, {})  # (vocabulary, word -> close words)


def close_words_known(vocabulary: list[str], word: str) -> list[tuple[int, str]]:
    """close_words, kept while VOCABULARY is the same list: the automata cost milliseconds per
    word, and the lemma store replaces the list whenever a new word is indexed."""
    global _close
    known_for, known = _close
    if known_for is not vocabulary:
        known = {}
        with _close_lock:
            _close = (vocabulary, known)
    found = known.get(word)
    if found is None:
        found = known[word] = close_words(vocabulary, word)
        if len(known) > 10_000:  # readers' typos are unbounded; begin again rather than grow
            with _close_lock:
                _close = (vocabulary, {})
    return found


def close_words(vocabulary: list[str], word: str, maxdist: int = MAX_DISTANCE) -> list[tuple[int, str]]:
    """(edit distance, word) of the VOCABULARY words within MAXDIST of WORD, closest first.

    Whoosh's ListCorrector does the same but its word skipper can step over the first word.
    """

    def next_word(prefix: str) -> str | None:
        pos = bisect_left(vocabulary, prefix)
        return vocabulary[pos] if pos < len(vocabulary) else None

    found: dict[str, int] = {}
    for distance in range(1, maxdist + 1):
        dfa = levenshtein_automaton(word, distance, 0).to_dfa()
        for candidate in find_all_matches(dfa, next_word):
            if candidate != word:
                found.setdefault(candidate, distance)
    return sorted((d, w) for w, d in found.items())


def texts_using(corpus: Corpus, schema, word: str, voikko: bool) -> int:
    """How many indexed texts contain WORD itself, in any inflection."""
    query = word_query(schema, word, voikko, parts=False)
    return int(evaluate(corpus, query)[1].sum()) if query is not None else 0


def suggest_spelling(corpus: Corpus, schema, vocabulary: list[str], words: list[str], total: int,
                     voikko: bool) -> str | None:
    """Offer a respelling of WORDS when there are few hits (TOTAL) and a close spelling finds more."""
    if total >= 3 or not vocabulary:
        return None
    changed, respelled = False, []
    for word in words:
        frequency = 0 if is_literal(word) else texts_using(corpus, schema, word, voikko)
        if is_literal(word) or frequency > 1:
            respelled.append(word)
            continue
        # A word found nowhere, or in one text only (perhaps a typo there too): offer a
        # close spelling that more texts use.
        # the closest spelling that more texts use; among equally close ones, the most used
        best, best_key = None, None
        for distance, candidate in close_words_known(vocabulary, word)[:10]:
            count = texts_using(corpus, schema, candidate, voikko)
            if count > frequency and (best_key is None or (distance, -count) < best_key):
                best, best_key = candidate, (distance, -count)
        if best is not None:
            respelled.append(best)
            changed = True
        else:
            respelled.append(word)
    if not changed:
        return None
    suggestion = " ".join(respelled)
    query, _ = build_query(schema, suggestion, voikko)
    if query is None or int(evaluate(corpus, query)[1].sum()) <= total:
        return None
    return suggestion
