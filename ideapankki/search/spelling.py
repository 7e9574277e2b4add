"""Spelling corrections that never harm: "did you mean", and respellings only when they are safe.

A typed word is never replaced when it is a law number or other literal, a word Voikko
recognises, a municipality's name, a thesaurus label, an acronym (typed in capitals, or short:
four letters or fewer, where one edit is a quarter of the word), or a word of an indexed text.
Any other word that no text uses may be respelled:

1. Missing diacritics first: `kaytto`, `paatoksenteko` and `yhteistyo` are compared with the index's
   words with ä, ö and å folded to a, o and a. A word that no text uses gets the folded match even
   when Voikko knows the dotless form (`paatos` is a word, `paatoksenteko` a typo).
2. Then a fuzzy match over the folded vocabulary: one edit for words of five to seven letters, two
   for longer ones; the closest relative to the word's length wins, then the one more texts use.

The vocabulary is the words of indexed texts (kept by lemmas.LemmaStore). A candidate counts only
if the word itself (any inflection) is in a text of the current index, so nothing of an entry that is
no longer published is ever offered. A word only one text uses (perhaps with the same typo) may be
offered a spelling more texts use, as "did you mean" only. Corrections of unknown words are added to the typed words (parsing.parse_query's
`respell`): the typed word stays, so nothing it finds is lost; when the query as typed finds nothing,
the search shows the respelled query's results and offers the typed one ("search instead for").
"""

from __future__ import annotations

import csv
import re
import threading
from bisect import bisect_left
from functools import lru_cache
from typing import Callable

from whoosh.automata.fsa import find_all_matches
from whoosh.automata.lev import levenshtein_automaton

from ..reference import MUNICIPALITIES_CSV
from .analysis import finnish_lemma, is_literal
from .parsing import word_query
from .vectors import Corpus, evaluate

MAX_DISTANCE = 2
SHORT = 4  # words this short are never respelled: acronyms (sote, hyte, AVI) and one edit is a quarter
FEW = 3  # results below which every typed word is counted in the index
CANDIDATES = 12  # close words looked up in the index per typed word
_FOLD = str.maketrans("äöå", "aoa")
_CAPITALS = re.compile(r"\b[A-ZÄÖÅ][A-ZÄÖÅ0-9]+\b")

_lock = threading.Lock()
_folded: tuple = (None, [], None)  # (vocabulary, its folded words sorted, their Spellings)
_close: tuple[list[str] | None, dict[str, list[tuple[int, str]]]] = (None, {})  # (vocabulary, word -> close)


@lru_cache(maxsize=1)
def municipality_names() -> frozenset[str]:
    """Every municipality's Finnish and Swedish name and their words, lower-cased."""
    with MUNICIPALITIES_CSV.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return frozenset(word for row in rows for name in (row["name_fi"], row["name_sv"])
                     for word in re.findall(r"\w+", name.lower()))


def fold(word: str) -> str:
    """WORD with ä, ö and å as a, o and a."""
    return word.translate(_FOLD)


def capitals(text: str) -> set[str]:
    """The lower-cased words TEXT writes in capitals (AVI, HVA, KUUMA): acronyms, never respelled."""
    return {word.lower() for word in _CAPITALS.findall(text)}


class Spellings:
    """Each folded word's spellings in a vocabulary: a folded word that is its only spelling (most
    words: no ä, ö or å, or typed only folded) is answered from the sorted folded words, and only
    the others are kept in a dict. A list per word was some 2.5 MB of every worker at 20,000 entries
    (43,000 objects); a lookup is now a bisection (about a microsecond, a dozen a search)."""

    __slots__ = ("ordered", "others")

    def __init__(self, ordered: list[str], others: dict[str, tuple[str, ...]]):
        self.ordered, self.others = ordered, others

    def get(self, folded: str, default=()) -> tuple[str, ...]:
        found = self.others.get(folded)
        if found is not None:
            return found
        return (folded,) if _in(self.ordered, folded) else default

    def __getitem__(self, folded: str) -> tuple[str, ...]:
        found = self.get(folded, None)
        if found is None:
            raise KeyError(folded)
        return found


def folded_vocabulary(vocabulary: list[str]) -> tuple[list[str], Spellings]:
    """The folded words, sorted, and each folded word's spellings in VOCABULARY (kept per list)."""
    global _folded
    known_for, ordered, spellings = _folded
    if known_for is not vocabulary:
        grouped: dict[str, list[str]] = {}
        for word in vocabulary:
            folded = fold(word)  # a new string even when nothing changed: most words keep their own
            grouped.setdefault(word if folded == word else folded, []).append(word)
        ordered = sorted(grouped)
        spellings = Spellings(ordered, {folded: tuple(words) for folded, words in grouped.items()
                                        if len(words) > 1 or words[0] != folded})
        del grouped
        with _lock:
            _folded = (vocabulary, ordered, spellings)
    return ordered, spellings


def close_words(vocabulary: list[str], word: str, maxdist: int = MAX_DISTANCE) -> list[tuple[int, str]]:
    """(edit distance, word) of the sorted VOCABULARY words within MAXDIST of WORD, closest first.

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


def _close_folded(vocabulary: list[str], word: str, maxdist: int) -> list[tuple[int, str]]:
    """close_words over the folded vocabulary, kept while VOCABULARY is the same list (the automata
    cost milliseconds a word; the lemma store replaces the list whenever a new word is indexed)."""
    global _close
    known_for, known = _close
    if known_for is not vocabulary:
        known = {}
        with _lock:
            _close = (vocabulary, known)
    key = f"{maxdist}:{word}"
    found = known.get(key)
    if found is None:
        ordered, _spellings = folded_vocabulary(vocabulary)
        found = known[key] = close_words(ordered, word, maxdist)
        if len(known) > 10_000:  # readers' typos are unbounded; begin again rather than grow
            with _lock:
                _close = (vocabulary, {})
    return found


def _in(vocabulary: list[str], word: str) -> bool:
    pos = bisect_left(vocabulary, word)
    return pos < len(vocabulary) and vocabulary[pos] == word


def allowed_edits(word: str) -> int:
    """Edits a respelling of WORD may make: none for short words, one up to seven letters, then two."""
    return 0 if len(word) <= SHORT else 1 if len(word) <= 7 else MAX_DISTANCE


def texts_using(corpus: Corpus, schema, word: str, voikko: bool) -> int:
    """How many indexed texts contain WORD itself, in any inflection."""
    query = word_query(schema, word, voikko, parts=False)
    return int(evaluate(corpus, query)[1].sum()) if query is not None else 0


def protected(word: str, voikko: bool, acronyms: set[str] = frozenset(),
              label: Callable[[str], bool] | None = None) -> bool:
    """Whether WORD is never respelled (the index is asked separately: texts_using)."""
    if is_literal(word) or len(word) <= SHORT or word in acronyms or word in municipality_names():
        return True
    if label is not None and label(word):
        return True
    if voikko:
        lemma = finnish_lemma(word)
        return lemma.known or any(form in municipality_names() for form in lemma.forms)
    return False


def correct_word(corpus: Corpus, schema, vocabulary: list[str], word: str, voikko: bool,
                 fuzzy: bool = True, more_than: int = 0) -> str | None:
    """The confident respelling of WORD that more than MORE_THAN texts use, or None."""
    ordered, spellings = folded_vocabulary(vocabulary)
    folded = fold(word)
    if folded == word:  # typed without diacritics: the same word with them, if texts use it
        counted = [(texts_using(corpus, schema, s, voikko), s) for s in spellings.get(folded, []) if s != word]
        counted = [(n, s) for n, s in counted if n > more_than]
        if counted:
            return max(counted)[1]
    edits = allowed_edits(word)
    if not fuzzy or not edits:
        return None
    best, best_key = None, None
    for distance, candidate in _close_folded(vocabulary, folded, edits)[:CANDIDATES]:
        for spelling in spellings.get(candidate, []):
            count = texts_using(corpus, schema, spelling, voikko)
            key = (distance / len(word), -count, spelling)
            if count > more_than and (best_key is None or key < best_key):
                best, best_key = spelling, key
    return best


def corrections(corpus: Corpus, schema, vocabulary: list[str], words: list[str], voikko: bool,
                acronyms: set[str] = frozenset(), label: Callable[[str], bool] | None = None,
                total: int = 0) -> tuple[dict[str, str], dict[str, str]]:
    """Typed word -> confident respelling: (for WORDS no text uses, searched alongside them; for
    words one text uses, perhaps with the same typo, offered only as "did you mean"). When the
    query found TOTAL >= FEW results, a word written as in some text is not counted (the cost of a
    search): only the others can be unknown, and rare words get no "did you mean"."""
    if not vocabulary:
        return {}, {}
    unknown, rare = {}, {}
    for word in words:
        if total >= FEW and _in(vocabulary, word):
            continue
        used = 0 if is_literal(word) else texts_using(corpus, schema, word, voikko)
        if is_literal(word) or used > 1:
            continue
        fuzzy = not protected(word, voikko, acronyms, label)
        if used and not fuzzy:
            continue  # a word of the index that is also a word, a name or an acronym: left as it is
        correction = correct_word(corpus, schema, vocabulary, word, voikko, fuzzy, used)
        if correction is not None:
            (rare if used else unknown)[word] = correction
    return unknown, rare


def respelled(words: list[str], found: dict[str, str]) -> str | None:
    """The query with its corrections in place of the typed words (None when there are none)."""
    return " ".join(found.get(word, word) for word in words) if found else None


def suggest_spelling(corpus: Corpus, schema, vocabulary: list[str], words: list[str], voikko: bool,
                     text: str = "") -> str | None:
    """A "did you mean" for WORDS: the query with the confident corrections of its unknown or rare words."""
    unknown, rare = corrections(corpus, schema, vocabulary, words, voikko, capitals(text))
    return respelled(words, {**rare, **unknown})
