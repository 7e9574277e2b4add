"""Turn what a reader typed into a Whoosh query object (never run here: see query.py and vectors.py).

The query is built directly (no query language), so any input is safe. Each word becomes
"this word in any field", analysed per field language; a Finnish compound also matches when
its parts appear separately (henkilöstömitoitus ⇄ henkilöstön mitoitus). Documents with every
word rank far above those with only some, yet a long question still returns its best partial
matches.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from whoosh import query as Q
from whoosh.lang import stopwords_for_language

from .analysis import FINNISH_STOP_LEMMAS, TOKENIZER, finnish_lemma, is_literal, municipality_pairs
from .numbers import query_forms
from .schema import LANGUAGES, TEXT_FIELDS, WEIGHTS
from .scoring import boosted
from .weighting import combine, is_function_word, word_weight

PARTS_BOOST = 0.5
RESPELL_BOOST = 0.8  # a correction of a word no text uses, searched with it
FINNISH_FIELDS = ("places", "laws", "tags")
_FI_STOP = stopwords_for_language("fi") | FINNISH_STOP_LEMMAS


def query_words(text: str, stops: bool = False) -> list[str]:
    """Split TEXT into lower-case search words, dropping Finnish stop words (keeping them with STOPS)."""
    words = []
    for token in TOKENIZER(text.lower()):
        word = "".join(token.text.split()) if "§" in token.text else token.text
        for form in query_forms(word):  # dates, amounts and number words as the index keeps them
            if (stops or form not in _FI_STOP) and form not in words:
                words.append(form)
    return words


def _field_alternatives(schema, fieldname: str, word: str, voikko: bool, parts: bool = True) -> Q.Query | None:
    """The ways WORD can appear in FIELDNAME, analysed as that field is (titles keep stop words)."""
    finnish = fieldname.endswith("_fi") or fieldname in FINNISH_FIELDS
    if finnish and voikko and not is_literal(word):
        lemma = finnish_lemma(word)
        title = fieldname.startswith("title_")
        forms = [f for f in lemma.forms if title or f not in FINNISH_STOP_LEMMAS]
        options: list[Q.Query] = [Q.Term(fieldname, f) for f in forms]
        options += [Q.Term(fieldname, municipality_pairs()[f]) for f in forms if f in municipality_pairs()]
        if parts and len(lemma.parts) > 1:
            # the parts written apart ("henkilöstön mitoitus") count, but less than the compound itself
            options.append(boosted(Q.And([Q.Term(fieldname, p) for p in lemma.parts]), PARTS_BOOST))
    else:
        analyzer = schema[fieldname].analyzer
        options = [Q.Term(fieldname, t.text) for t in analyzer(word)]
        if voikko and not is_literal(word):
            # "Vaasassa" is Finnish for "in Vasa": find the Swedish and English texts that say Vasa.
            for form in finnish_lemma(word).forms:
                if form in municipality_pairs():
                    options += [Q.Term(fieldname, t.text) for t in analyzer(form)]
    options = list({_key(o): o for o in options}.values())
    if not options:
        return None
    return options[0] if len(options) == 1 else Q.Or(options)


def _key(option: Q.Query):
    """What tells OPTION apart, as its repr does: a Term by its field, text and boost (a tuple, not the
    repr's string: a word has a dozen alternatives per field), anything else by its repr."""
    if option.__class__ is Q.Term:
        return option.fieldname, option.text, option.boost
    return repr(option)


def word_query(schema, word: str, voikko: bool, parts: bool = True) -> Q.Query | None:
    """WORD in any field, each field weighted; PARTS false leaves out a compound's parts written apart.

    A function word (miten, ja, hur, the) is searched in titles only: only they index it."""
    per_field = []
    if is_function_word(word, voikko):
        fields = [f"title_{lang}" for lang in LANGUAGES]
    else:
        fields = [f"{name}_{lang}" for lang in LANGUAGES for name in TEXT_FIELDS] + list(FINNISH_FIELDS)
    for fieldname in fields:
        alternatives = _field_alternatives(schema, fieldname, word, voikko, parts)
        if alternatives is not None:
            per_field.append(boosted(alternatives, WEIGHTS[fieldname.split("_")[0]]))
    return Q.Or(per_field) if per_field else None


def _respelled(schema, word: str, voikko: bool, respell: dict[str, str] | None, parts: bool = True) -> Q.Query | None:
    """WORD in any field, or its correction too (a little lower) when RESPELL has one."""
    typed = word_query(schema, word, voikko, parts)
    if not respell or word not in respell or (other := word_query(schema, respell[word], voikko, parts)) is None:
        return typed
    return Q.Or([typed, boosted(other, RESPELL_BOOST)]) if typed is not None else boosted(other, RESPELL_BOOST)


@dataclass
class Parsed:
    """A reader's query: what ranks, and what decides which documents match (any word)."""

    ranked: Q.Query | None
    any_word: Q.Query | None
    words: list[str]
    exact: Q.Query | None = None  # the words as typed, when the thesaurus added to them (thesaurus.exact_first)
    concepts: list[str] = field(default_factory=list)  # keys of the thesaurus concepts the query matched


def build_query(schema, text: str, voikko: bool = True) -> tuple[Q.Query | None, list[str]]:
    """Return the query for TEXT (None for no words) and the words it was built from."""
    parsed = parse_query(schema, text, voikko)
    return parsed.ranked, parsed.words


def parse_query(schema, text: str, voikko: bool = True, respell: dict[str, str] | None = None,
                thesaurus=None) -> Parsed:
    """Build the queries for TEXT; RESPELL adds a correction to a typed word (spelling.py), THESAURUS
    (search.thesaurus.Thesaurus) the labels of the concepts the words name."""
    words = query_words(text, stops=True)  # stop words count, a little (weighting.py), in titles
    exact = [_respelled(schema, w, voikko, respell) for w in words]
    expansion = thesaurus.expand(schema, text, words, voikko) if thesaurus is not None else None
    per_word = expansion.widen(exact) if expansion else exact
    found = [(q, word_weight(w, voikko)) for w, q in zip(words, per_word) if q is not None]
    found += [(q, 1.0) for q in expansion.extra] if expansion else []
    parsed = Parsed(*combine([q for q, _w in found], [w for _q, w in found]), words)
    if expansion:  # the typed words but stop words decide what is exact: "ja" in a title is no exact match
        typed = ([q for q, w in zip(exact, words) if q is not None and not is_function_word(w, voikko)]
                 or [q for q in exact if q is not None])
        typed += expansion.facets  # a theme or region named is exact: its entries are what was asked for
        parsed.exact = (typed[0] if len(typed) == 1 else Q.Or(typed)) if typed else None
        parsed.concepts = expansion.concepts
    return parsed
