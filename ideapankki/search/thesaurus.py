"""Query-time expansion through the domain thesaurus (ideapankki.vocabulary keeps it in the database).

A query's words are matched against every label of every concept (Finnish labels by Voikko base
form, Swedish and English ones by their Snowball stems, so "Lapissa", "esikoulussa" and
"förskolan" find Lappi, esikoulu and förskola; a label of several words matches those words in a
row). A matched concept adds its other labels in all three languages — each searched in the
fields of its own language with the index's own analysis, several words as one group that must
all be in the same field — and, for a theme's or a region's concept, that facet value. So a
Swedish or English query reaches Finnish entries and the other way round, and an acronym finds
the texts that write it out.

Expansions weigh less than the words typed (EXPANSION_WEIGHT), and `exact_first` lifts every
document that matches a typed word above all those found only through the thesaurus: an
expansion never outranks an exact match. Nothing is indexed: an edit is seen at the next search
of every worker (search.thesaurus_cache).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from whoosh import query as Q
from whoosh.lang import stemmer_for_language

from .analysis import _TOKEN_RE, finnish_lemma, is_literal
from .lemmas import prime
from .parsing import _field_alternatives, query_words
from .schema import TEXT_FIELDS, WEIGHTS
from .scoring import boosted
from .vectors import evaluate

EXPANSION_WEIGHT = 0.4  # of the typed word's weight in the same field
NARROWER_WEIGHT = 0.2  # a narrower concept's labels: below the concept's own (sote → sote-keskus)
MAX_NARROWER = 6  # narrower concepts followed per concept (two levels down at most)
MAX_NARROWER_LABELS = 2  # labels per language of a narrower concept (pref first): bounds the cost
FACET_WEIGHT = 3.0  # a theme's or region's own entries: the facet term scores as a title match
MAX_LABELS = 24  # expansion labels per concept (pref first): bounds the cost of a broad concept
_SV_DEFINITE = ("arna", "orna", "erna", "na", "en", "et", "n")
_STEMMERS = {"sv": stemmer_for_language("sv"), "en": stemmer_for_language("en"), "fi": stemmer_for_language("fi")}


# ~400 bytes an entry: 8,192 bound a worker's table at ~3 MB (50,000 would let a long tail of query
# words grow it to ~20 MB); a miss costs ~3 us, as the lemma has a cache of its own (analysis.LEMMAS).
@lru_cache(maxsize=8_192)
def token_forms(token: str, language: str, voikko: bool) -> frozenset[str]:
    """The forms a token is matched by in LANGUAGE: itself and its base forms or stem."""
    forms = {token}
    if is_literal(token):
        return frozenset(forms)
    if language == "fi" and voikko:
        forms.update(finnish_lemma(token).forms)
    else:
        forms.add(_STEMMERS[language](token))
    if language == "sv":  # Snowball keeps the definite forms (förskolan, ungdomarna): matching strips them
        forms.update(_STEMMERS["sv"](token[:-len(end)]) for end in _SV_DEFINITE
                     if token.endswith(end) and len(token) - len(end) >= 4)
    return frozenset(forms)


def tokens(text: str) -> list[str]:
    """TEXT's lower-case tokens, as TOKENIZER makes them (its pattern, without a Token per word)."""
    return [match.group(0) for match in _TOKEN_RE.finditer(text.lower())]


@dataclass(slots=True)  # some 5,000 of them in every server process: no __dict__ each
class _Label:
    language: str
    text: str
    words: list[str]  # lower-case tokens
    kind: str


@dataclass
class _Concept:
    key: str
    theme: str | None
    region: str | None
    labels: list[_Label] = field(default_factory=list)
    narrower: list[int] = field(default_factory=list)  # positions of the concepts whose broader this is


@dataclass
class Expansion:
    """What the thesaurus adds to a query: per typed word, the alternatives that stand for it."""

    per_word: dict[int, list[Q.Query]]
    extra: list[Q.Query]  # concepts matched only by words the query drops (stop words)
    concepts: list[str]
    facets: list[Q.Query] = field(default_factory=list)  # the themes and regions the query names

    def widen(self, exact: list[Q.Query | None]) -> list[Q.Query | None]:
        """Each word's query (None for none) with its expansions as alternatives."""
        parts: list[Q.Query | None] = []
        for i, query in enumerate(exact):
            options = ([query] if query is not None else []) + self.per_word.get(i, [])
            parts.append(None if not options else options[0] if len(options) == 1 else Q.Or(options))
        return parts


class Thesaurus:
    """One version of the thesaurus, compiled for matching query words to labels."""

    def __init__(self, concepts: list[_Concept], voikko: bool, version: int = 0):
        self.concepts, self.voikko, self.version = concepts, voikko, version
        self._queries: dict[int, Q.Query | None] = {}  # concept -> its expansion (the same for every query)
        # Compiled for matching, in every server process (the master's pages): per language, not keyed
        # by (language, form) tuples, and one (concept, label) tuple per label shared by its keys
        # (a tuple per key and form was some 1.5 of the thesaurus' 11 MB at 413 concepts).
        self._first: dict[str, dict[str, tuple[tuple[int, int], ...]]] = {}  # language -> form -> (concept, label)s
        self._forms: dict[tuple[int, int], tuple[frozenset[str], ...]] = {}  # each label's words' forms
        self._words: dict[str, set[str]] = {}  # language -> the forms of every word of its labels
        if voikko:  # the labels' Finnish words in one batch (one message to the Voikko service)
            prime(w for c in concepts for label in c.labels if label.language == "fi" for w in label.words)
        first: dict[str, dict[str, list[tuple[int, int]]]] = {}
        for ci, concept in enumerate(concepts):
            for li, label in enumerate(concept.labels):
                if not label.words:
                    continue
                forms = tuple(token_forms(w, label.language, voikko) for w in label.words)
                pair = (ci, li)
                self._forms[pair] = forms
                known = self._words.setdefault(label.language, set())
                for word_forms in forms:
                    known.update(word_forms)
                starts = first.setdefault(label.language, {})
                for form in forms[0]:
                    starts.setdefault(form, []).append(pair)
        self._first = {language: {form: tuple(pairs) for form, pairs in starts.items()}
                       for language, starts in first.items()}

    def at(self, version: int) -> "Thesaurus":
        """This thesaurus as one database's VERSION of it: a copy sharing everything compiled."""
        copy = object.__new__(Thesaurus)
        copy.__dict__.update(self.__dict__)
        copy.version = version
        return copy

    def knows(self, word: str) -> bool:
        """Whether WORD (any inflection) is a word of some label: never 'correct' it into another word."""
        return any(form in self._words.get(language, ())
                   for language in ("fi", "sv", "en") for form in token_forms(word.lower(), language, self.voikko))

    def match(self, text: str) -> list[tuple[int, int, int, int]]:
        """(start, end, concept, label) of the labels found in TEXT's tokens; the longest where they overlap."""
        words = tokens(text)
        found = []
        for start in range(len(words)):
            for language in ("fi", "sv", "en"):
                starts = self._first.get(language, {})
                for form in token_forms(words[start], language, self.voikko):
                    for ci, li in starts.get(form, ()):
                        forms = self._forms[(ci, li)]
                        end = start + len(forms)
                        if end <= len(words) and all(
                                forms[k] & token_forms(words[start + k], language, self.voikko)
                                for k in range(1, len(forms))):
                            found.append((start, end, ci, li))
        found = list(dict.fromkeys(found))
        return [m for m in found if not any(o[0] <= m[0] and m[1] <= o[1] and (o[1] - o[0]) > (m[1] - m[0])
                                            for o in found)]

    def expand(self, schema, text: str, words: list[str], voikko: bool) -> Expansion | None:
        """The expansion of TEXT (whose search words are WORDS), or None when no label matches."""
        matches = self.match(text)
        if not matches:
            return None
        raw = tokens(text)
        per_word: dict[int, list[Q.Query]] = {}
        extra: list[Q.Query] = []
        done: dict[int, Q.Query | None] = {}
        keys, facets = [], []
        for start, end, ci, li in matches:
            if ci not in done:
                done[ci] = self._concept_query(schema, ci, voikko)
                keys.append(self.concepts[ci].key)
                facets += _facet_terms(self.concepts[ci])
            query = done[ci]
            if query is None:
                continue
            span = set(raw[start:end])
            targets = [i for i, w in enumerate(words) if w in span]
            if not targets and query not in extra:
                extra.append(query)
            for i in targets:
                if query not in per_word.setdefault(i, []):
                    per_word[i].append(query)
        return Expansion(per_word, extra, keys, facets)

    def _concept_query(self, schema, ci: int, voikko: bool) -> Q.Query | None:
        """Concept CI's labels, its narrower concepts' labels lower (not a theme's or a region's: their
        facet stands for them), its facet value; built once per version of the thesaurus."""
        if ci in self._queries:
            return self._queries[ci]
        concept = self.concepts[ci]
        chosen = [(label, EXPANSION_WEIGHT) for label in concept.labels if label.kind != "hidden"][:MAX_LABELS]
        if not (concept.theme or concept.region):
            for narrower in self._narrower(ci):
                per_language: dict[str, int] = {}
                for label in narrower.labels:  # the first few of each language, none hidden, none with "1–6"
                    if label.kind == "hidden" or any(is_literal(w) for w in label.words):
                        continue
                    per_language[label.language] = per_language.get(label.language, 0) + 1
                    if per_language[label.language] <= MAX_NARROWER_LABELS:
                        chosen.append((label, NARROWER_WEIGHT))
        if voikko:  # every field asks Voikko of each word (a Swedish one too: "Vaasassa" is Vasa), so
            # the words not yet known go in one message to the Voikko service, not one a word
            prime(w for label, _weight in chosen for w in _label_words(label))
        options: list[Q.Query] = []
        for label, weight in chosen:
            options += _label_queries(schema, label, voikko, weight)
        options += _facet_terms(concept)
        options = list({repr(o): o for o in options}.values())
        query = self._queries[ci] = Q.Or(options) if options else None
        return query

    def _narrower(self, ci: int) -> list[_Concept]:
        """Up to MAX_NARROWER concepts below CI, the nearest first, two levels down at most."""
        found: list[int] = []
        level = self.concepts[ci].narrower
        for _depth in range(2):
            level = [n for n in level if n != ci and n not in found]
            found += level[:MAX_NARROWER - len(found)]
            level = [m for n in level for m in self.concepts[n].narrower]
        return [self.concepts[n] for n in found]


def _facet_terms(concept: _Concept) -> list[Q.Query]:
    """A theme's or region's concept: its entries (the facet value)."""
    return ([Q.Term("f_theme", concept.theme, boost=FACET_WEIGHT)] if concept.theme else []) + \
        ([Q.Term("f_region", concept.region, boost=FACET_WEIGHT)] if concept.region else [])


def _label_queries(schema, label: _Label, voikko: bool, weight: float = EXPANSION_WEIGHT) -> list[Q.Query]:
    """LABEL in each field of its language (Finnish also in tags), all its words in the same field."""
    fields = [f"{name}_{label.language}" for name in TEXT_FIELDS] + (["tags"] if label.language == "fi" else [])
    words = _label_words(label)
    queries = []
    for fieldname in fields:
        per_word = [_field_alternatives(schema, fieldname, w, voikko, parts=False) for w in words]
        per_word = [q for q in per_word if q is not None]
        if not per_word:
            continue
        query = per_word[0] if len(per_word) == 1 else Q.And(per_word)
        queries.append(boosted(query, WEIGHTS[fieldname.split("_")[0]] * weight))
    return queries


def exact_first(corpus, exact: Q.Query, scores: np.ndarray, memo: dict | None = None) -> np.ndarray:
    """SCORES with every document that matches EXACT (the words as typed) above every one that does not
    (MEMO: evaluate's, from scoring the query EXACT is part of)."""
    _exact_scores, matched = evaluate(corpus, exact, memo)
    if not matched.any():
        return scores
    others = scores[~matched]
    lift = np.float32(float(others.max()) + 1.0) if len(others) else np.float32(0.0)
    return np.where(matched, scores + lift, scores).astype(np.float32)


def _label_words(label: _Label) -> list[str]:
    """The words of LABEL as its field queries search them."""
    return query_words(label.text) if label.language == "fi" else tokens(label.text)
