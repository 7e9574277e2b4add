"""Language analysis for the index: Finnish on Voikko, Swedish and English on Snowball.

Finnish words are indexed as their base forms *and* compound parts, so `kokeilu` finds
`kuntakokeilussa` and `henkilöstömitoitus` can be matched part by part. Law numbers
(1269/2020) and sections (2 §) stay whole tokens. Municipality names carry their other
official name (Vaasa ⇄ Vasa), so either finds the entry. A word Voikko does not know, or a
machine without Voikko, falls back to the Snowball stemmer: never a crash.
"""

from __future__ import annotations

import csv
from collections import Counter, namedtuple
import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from whoosh.analysis import Analyzer, Filter, LowercaseFilter, RegexTokenizer, Token
from whoosh.lang import stemmer_for_language, stopwords_for_language

from ..reference import MUNICIPALITIES_CSV
from . import numbers, voikko

log = logging.getLogger(__name__)

# Bump when analysis changes: an index built with another version is rebuilt on open.
ANALYZER_VERSION = 11  # also bumped when the schema or what a document holds changes (10: titles keep their
# stop words; 11: the structured description's text is indexed with the body)

TOKEN_PATTERN = r"\d{1,5}/\d{4}|\d+[a-z]?\s?§|§|" + numbers.TOKEN_PATTERN + r"|\w+"  # numbers.py: dates, amounts
TOKENIZER = RegexTokenizer(TOKEN_PATTERN)
_TOKEN_RE = re.compile(r"(?=\d)(?:\d{1,5}/\d{4}|\d+[a-z]?\s?§|" + numbers.TOKEN_PATTERN + r")|§|\w+")  # TOKENIZER's
_SECTION_SPACE = re.compile(r"\s+")

# Stop words are dropped from summaries and bodies as surface forms (Snowball's lists) and, for Finnish, as base
# forms; titles keep them (weighting.py weighs them low). One-character tokens go, except a digit (3-vuotiaat).
FINNISH_STOP_LEMMAS = frozenset(
    "olla ja tai sekä että ei se joka mikä mitä kuka miten miksi missä milloin kuinka voida "
    "tämä tuo nämä ne hän he me te minä sinä jos kun kuin niin myös vain jo vielä sitten".split()
)

# Voikko, loaded on first use or asked of the serving service (voikko.py); None: not installed.
_voikko = voikko if voikko.available() else None


@dataclass(frozen=True)
class Lemma:
    """What the index keeps of one word: base forms, and compound parts when it is a compound."""

    forms: tuple[str, ...]
    parts: tuple[str, ...] = ()
    known: bool = True


def voikko_available() -> bool:
    return _voikko is not None


_warned_missing = False

CacheInfo = namedtuple("CacheInfo", "hits misses maxsize currsize")  # as functools.lru_cache reports


class _LemmaCache(dict):
    """Word → Lemma for this process, primed from the lasting cache beside the index (lemmas.py)."""

    MAX_SIZE = 1_000_000

    def __init__(self):
        super().__init__()
        self.hits = self.misses = 0

    def info(self) -> "CacheInfo":
        return CacheInfo(self.hits, self.misses, self.MAX_SIZE, len(self))

    def clear(self) -> None:
        super().clear()
        self.hits = self.misses = 0


LEMMAS = _LemmaCache()


def finnish_lemma(word: str) -> Lemma:
    """Analyse one lower-case Finnish WORD (cached: the same words recur across entries)."""
    found = LEMMAS.get(word)
    if found is not None:
        LEMMAS.hits += 1
        return found
    LEMMAS.misses += 1
    found = analyse_word(word)
    if len(LEMMAS) >= LEMMAS.MAX_SIZE:
        LEMMAS.clear()
    LEMMAS[word] = found
    return found


finnish_lemma.cache_clear = LEMMAS.clear  # the names functools.lru_cache gives, for tests and benchmarks
finnish_lemma.cache_info = LEMMAS.info


def analyse_word(word: str, analyses: list | None = None) -> Lemma:
    """Ask Voikko (uncached) unless ANALYSES are its answer; the Snowball stem when Voikko is missing or does not know WORD."""
    global _warned_missing
    if _voikko is None:
        if not _warned_missing:
            log.warning("pyvoikko is not installed: Finnish search falls back to the Snowball stemmer")
            _warned_missing = True
        return Lemma((_FI_STEM(word),), known=False)
    try:
        analyses = _voikko.analyse(word) if analyses is None else analyses
    except Exception:  # noqa: BLE001 - a bad word must never take the indexer down
        log.warning("Voikko failed on %r; using the Snowball stemmer", word, exc_info=True)
        analyses = []
    if not analyses:
        log.debug("Voikko does not know %r; using the Snowball stemmer", word)
        return Lemma((_FI_STEM(word),), known=False)
    # Prefer the analyses with the fewest compound parts: more parts is often a wrong split.
    fewest = min(len(compound or ()) for _base, compound in analyses)
    chosen = [(base, compound) for base, compound in analyses if len(compound or ()) == fewest]
    forms = _unique(_clean(base) for base, _compound in chosen)
    parts = _unique(_clean(part) for _base, compound in chosen for part in (compound or ()))
    return Lemma(tuple(f for f in forms if f), tuple(p for p in parts if p and p not in forms))


def _clean(baseform: str) -> str:
    return baseform.replace("=", "").replace("-", "").lower()


def _unique(items) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


_FI_STEM = stemmer_for_language("fi")


_LITERAL = re.compile(r"[\d§]")


def is_literal(text: str) -> bool:
    """Tell whether a token is kept as it is (law numbers, sections, numbers)."""
    return _LITERAL.search(text) is not None


@lru_cache(maxsize=1)
def municipality_pairs() -> dict[str, str]:
    """Map each lower-case municipality name to its other official name (vaasa→vasa, vasa→vaasa)."""
    pairs: dict[str, str] = {}
    with MUNICIPALITIES_CSV.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            fi, sv = row["name_fi"].lower(), row["name_sv"].lower()
            if fi != sv and " " not in fi and " " not in sv:
                pairs[fi], pairs[sv] = sv, fi
    return pairs


class LiteralFilter(Filter):
    """Normalise section tokens ("2 §" → "2§") so the spacing in the text does not matter."""

    def __call__(self, tokens):
        for t in tokens:
            if "§" in t.text:
                t.text = _SECTION_SPACE.sub("", t.text)
            yield t


class FinnishLemmaFilter(Filter):
    """Each token's base forms and compound parts (same position); STOPS: drop the stop words' base forms."""

    stops = True  # also for a filter pickled into an index before it had the attribute

    def __init__(self, stops: bool = True):
        self.stops = stops

    def __call__(self, tokens):
        dropped = FINNISH_STOP_LEMMAS if self.stops else frozenset()
        for t in tokens:
            if is_literal(t.text):
                yield t
                continue
            lemma, original, emitted = finnish_lemma(t.text), t.text, set()
            for text in (*lemma.forms, *lemma.parts):
                if text in emitted or text in dropped:
                    continue
                emitted.add(text)
                t.text = text
                yield t
            t.text = original


class MunicipalityNameFilter(Filter):
    """After a municipality name, also emit its other official name (Helsinki ⇄ Helsingfors)."""

    def __call__(self, tokens):
        pairs = municipality_pairs()
        for t in tokens:
            other = pairs.get(t.text)
            yield t
            if other:
                t.text = other
                yield t


class StemFilter(Filter):
    """Snowball stemming (Swedish, English, or Finnish for the baseline)."""

    def __init__(self, language: str):
        self.stem = stemmer_for_language(language)

    def __call__(self, tokens):
        for t in tokens:
            if not is_literal(t.text):
                t.text = self.stem(t.text)
            yield t


class WordByWord(Analyzer):
    """CHAIN applied one word at a time, remembering what each distinct word becomes.

    Every filter of our chains works on one token alone, so a word always yields the same
    texts: remembering them spares six generator layers per token, a third of indexing time.
    The memory of words is never pickled into the index's schema.
    """

    MAX_WORDS = 200_000

    def __init__(self, chain):
        self.chain = chain
        self._memo: dict[str, tuple[str, ...]] = {}

    def __getstate__(self):
        return {"chain": self.chain}

    def __setstate__(self, state):
        self.chain, self._memo = state["chain"], {}

    def __eq__(self, other):
        return type(other) is type(self) and self.chain == other.chain

    def __repr__(self):
        return f"WordByWord({self.chain!r})"

    def texts(self, word: str) -> tuple[str, ...]:
        """What WORD becomes: the texts of the tokens the chain makes of it alone."""
        texts = self._memo.get(word)
        if texts is None:
            if len(self._memo) >= self.MAX_WORDS:
                self._memo.clear()
            texts = self._memo[word] = tuple(t.text for t in self.chain(word))
        return texts

    def counts(self, value: str) -> dict[str, int]:
        """Term → frequency in VALUE: what indexing needs, counted per distinct word, not per token."""
        counts: dict[str, int] = {}
        for word, times in Counter(_TOKEN_RE.findall(value)).items():
            for text in self.texts(word):
                counts[text] = counts.get(text, 0) + times
        return counts

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True, start_pos=0,
                 start_char=0, tokenize=True, mode="", **kwargs):
        if keeporiginal or not removestops or not tokenize:  # never used by our fields: the plain chain
            yield from self.chain(value, positions=positions, chars=chars, keeporiginal=keeporiginal,
                                  removestops=removestops, start_pos=start_pos, start_char=start_char,
                                  tokenize=tokenize, mode=mode, **kwargs)
            return
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, found in enumerate(_TOKEN_RE.finditer(value), start_pos):
            for text in self.texts(found.group()):
                token.text, token.boost, token.stopped = text, 1.0, False
                if positions:
                    token.pos = pos
                if chars:
                    token.startchar, token.endchar = start_char + found.start(), start_char + found.end()
                yield token


def finnish_analyzer(stops: bool = True):
    """Voikko base forms and compound parts, municipality names in both languages; STOPS: drop stop words."""
    return WordByWord(TOKENIZER | LowercaseFilter() | LiteralFilter() | numbers.NumberFilter(words=True)
                      | numbers.StopWords(stopwords_for_language("fi") if stops else (), minsize=2)
                      | FinnishLemmaFilter(stops) | MunicipalityNameFilter())


def snowball_analyzer(language: str, stops: bool = True):
    """Snowball stemming, STOPS dropping stop words; the baseline for Finnish and the analyzer for sv/en."""
    return WordByWord(TOKENIZER | LowercaseFilter() | LiteralFilter() | numbers.NumberFilter()
                      | numbers.StopWords(stopwords_for_language(language) if stops else (), minsize=2)
                      | MunicipalityNameFilter() | StemFilter(language))


def analyzers(finnish: str = "voikko", stops: bool = True) -> dict[str, object]:
    """The analyzer per content language; FINNISH: Voikko or the Snowball baseline; STOPS false: for titles."""
    fi = finnish_analyzer(stops) if finnish == "voikko" else snowball_analyzer("fi", stops)
    return {"fi": fi, "sv": snowball_analyzer("sv", stops), "en": snowball_analyzer("en", stops)}
