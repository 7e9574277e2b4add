"""Turn what a reader typed into a Whoosh query, run it with filters and facets, suggest spellings.

The query is built directly (no query language), so any input is safe. Each word becomes
"this word in any field", analysed per field language; a Finnish compound also matches when
its parts appear separately (henkilöstömitoitus ⇄ henkilöstön mitoitus). Documents with every
word rank far above those with only some, yet a long question still returns its best partial
matches.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from whoosh import query as Q
from whoosh.highlight import ContextFragmenter, HtmlFormatter
from whoosh.lang import stopwords_for_language

from ..browse import Filters
from .analysis import FINNISH_STOP_LEMMAS, TOKENIZER, finnish_lemma, is_literal, municipality_pairs
from .reading import Readers, from_mask, query_mask
from .schema import FACETS, LANGUAGES, TEXT_FIELDS, WEIGHTS

ALL_WORDS_BOOST = 20.0
PARTS_BOOST = 0.5
FINNISH_FIELDS = ("places", "laws", "tags")
_FI_STOP = stopwords_for_language("fi") | FINNISH_STOP_LEMMAS


@dataclass
class Hit:
    entry_id: int
    slug: str
    language: str
    score: float
    highlight: str  # HTML: escaped text with <mark> around matched words


@dataclass
class SearchResponse:
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    suggestion: str | None
    page: int
    per_page: int
    words: list[str] = field(default_factory=list)
    corrected: bool = False  # the hits are for `suggestion`, because the query itself found nothing


def query_words(text: str) -> list[str]:
    """Split TEXT into lower-case search words, dropping stop words."""
    words = []
    for token in TOKENIZER(text.lower()):
        word = "".join(token.text.split()) if "§" in token.text else token.text
        if word not in _FI_STOP and word not in words:
            words.append(word)
    return words


def _field_alternatives(schema, fieldname: str, word: str, voikko: bool) -> Q.Query | None:
    """The ways WORD can appear in FIELDNAME, analysed as that field is."""
    finnish = fieldname.endswith("_fi") or fieldname in FINNISH_FIELDS
    if finnish and voikko and not is_literal(word):
        lemma = finnish_lemma(word)
        forms = [f for f in lemma.forms if f not in FINNISH_STOP_LEMMAS]
        options: list[Q.Query] = [Q.Term(fieldname, f) for f in forms]
        options += [Q.Term(fieldname, municipality_pairs()[f]) for f in forms if f in municipality_pairs()]
        if len(lemma.parts) > 1:
            # the parts written apart ("henkilöstön mitoitus") count, but less than the compound itself
            options.append(Q.And([Q.Term(fieldname, p) for p in lemma.parts]).with_boost(PARTS_BOOST))
    else:
        analyzer = schema[fieldname].analyzer
        options = [Q.Term(fieldname, t.text) for t in analyzer(word)]
        if voikko and not is_literal(word):
            # "Vaasassa" is Finnish for "in Vasa": find the Swedish and English texts that say Vasa.
            for form in finnish_lemma(word).forms:
                if form in municipality_pairs():
                    options += [Q.Term(fieldname, t.text) for t in analyzer(form)]
    options = list({repr(o): o for o in options}.values())
    if not options:
        return None
    return options[0] if len(options) == 1 else Q.Or(options)


def word_query(schema, word: str, voikko: bool) -> Q.Query | None:
    """WORD in any field, each field weighted."""
    per_field = []
    fields = [f"{name}_{lang}" for lang in LANGUAGES for name in TEXT_FIELDS] + list(FINNISH_FIELDS)
    for fieldname in fields:
        alternatives = _field_alternatives(schema, fieldname, word, voikko)
        if alternatives is not None:
            per_field.append(alternatives.with_boost(WEIGHTS[fieldname.split("_")[0]]))
    return Q.Or(per_field) if per_field else None


@dataclass
class Parsed:
    """A reader's query: what ranks, and what decides which documents match (any word)."""

    ranked: Q.Query | None
    any_word: Q.Query | None
    words: list[str]


def build_query(schema, text: str, voikko: bool = True) -> tuple[Q.Query | None, list[str]]:
    """Return the query for TEXT (None for no words) and the words it was built from."""
    parsed = parse_query(schema, text, voikko)
    return parsed.ranked, parsed.words


def parse_query(schema, text: str, voikko: bool = True) -> Parsed:
    """Build the queries for TEXT."""
    words = query_words(text)
    parts = [q for q in (word_query(schema, w, voikko) for w in words) if q is not None]
    if not parts:
        return Parsed(None, None, words)
    if len(parts) == 1:
        return Parsed(parts[0], parts[0], words)
    any_word = Q.Or(parts)
    return Parsed(Q.Or([Q.And(parts).with_boost(ALL_WORDS_BOOST), any_word]), any_word, words)


def run_search(readers: Readers, text: str, filters: Filters, *, sort: str = "relevance", page: int = 1,
               per_page: int = 20, voikko: bool = True) -> SearchResponse:
    """Search the index: matching documents, facet counts, one page of hits, a spelling suggestion.

    When nothing matches but a close spelling does, the results are those of the respelling
    (`corrected` is set), as a reader who mistyped would want.
    """

    def operation(searcher) -> SearchResponse:
        parsed, final, facets = _match(searcher, text, filters, voikko)
        total = final.bit_count()
        suggestion = suggest_spelling(searcher, parsed.words, total, voikko) if parsed.words else None
        corrected = False
        if not total and suggestion:
            parsed, final, facets = _match(searcher, suggestion, filters, voikko)
            total, corrected = final.bit_count(), True
        restrict = from_mask(final) if filters.active() else None  # the filtered documents, already known
        hits = _page(searcher, parsed.ranked, restrict, sort, page, per_page) if total else []
        return SearchResponse(total, hits, facets, suggestion, page, per_page, parsed.words, corrected)

    def _match(searcher, text, filters, voikko):
        # The documents are those with any of the words; the all-words part of the query only ranks.
        parsed = parse_query(searcher.schema, text, voikko)
        bits = readers.facet_bits(searcher)
        matched = query_mask(searcher, bits, parsed.any_word) if parsed.ranked is not None else bits.live
        by_filter = {name: bits.value_mask(name, str(value)) for name, value in filters.active().items()}
        allowed = {}
        for facet in FACETS:
            mask = matched
            for name, satisfying in by_filter.items():
                if name != facet:
                    mask &= satisfying
            allowed[facet] = mask
        final = matched
        for satisfying in by_filter.values():
            final &= satisfying
        return parsed, final, bits.count(allowed)

    return readers.run(operation)


def _page(searcher, query, restrict: set[int] | None, sort: str, page: int, per_page: int) -> list[Hit]:
    newest = sort == "newest" or query is None
    results = searcher.search(
        # No terms=True: collecting matched terms per document would turn off Whoosh's block skipping;
        # highlights use the query's terms instead.
        query if query is not None else Q.Every(), filter=restrict, limit=page * per_page,
        sortedby="published" if newest else None, reverse=newest,
    )
    results.fragmenter = ContextFragmenter(maxchars=160, surround=50)
    results.formatter = HtmlFormatter(tagname="mark", between=" … ")
    hits = []
    for hit in results[(page - 1) * per_page: page * per_page]:
        language = hit["language"]
        highlight = ""
        if query is not None:
            for name in ("body", "summary", "title"):
                highlight = hit.highlights(f"{name}_{language}", top=2)
                if highlight:
                    break
        hits.append(Hit(int(hit["id"]), hit["slug"], language, float(hit.score or 0.0), highlight))
    return hits


def suggest_spelling(searcher, words: list[str], total: int, voikko: bool) -> str | None:
    """Offer a respelling of WORDS when there are few hits and a close spelling finds more."""
    if total >= 3:
        return None
    changed, respelled = False, []
    for word in words:
        frequency = 0 if is_literal(word) else searcher.doc_frequency("words", word)
        if is_literal(word) or frequency > 1:
            respelled.append(word)
            continue
        # A word found nowhere, or in one text only (perhaps a typo there too): offer a
        # close spelling that more texts use.
        candidates = [c for c in searcher.suggest("words", word, limit=5, maxdist=2)
                      if c != word and searcher.doc_frequency("words", c) > frequency]
        if candidates:
            respelled.append(candidates[0])
            changed = True
        else:
            respelled.append(word)
    if not changed:
        return None
    suggestion = " ".join(respelled)
    query, _ = build_query(searcher.schema, suggestion, voikko)
    if query is None or len(set(searcher.docs_for_query(query))) <= total:
        return None
    return suggestion


def more_like(readers: Readers, entry_id: int, limit: int = 5) -> list[int]:
    """Return ids of published entries most like ENTRY_ID (not itself)."""

    def operation(searcher) -> list[int]:
        docnum = searcher.document_number(id=str(entry_id))
        if docnum is None:
            return []
        language = searcher.stored_fields(docnum)["language"]
        results = searcher.more_like(docnum, f"body_{language}", top=limit, numterms=12)
        return [int(hit["id"]) for hit in results]

    return readers.run(operation)


def similar_titles(readers: Readers, text: str, limit: int = 5, voikko: bool = True) -> list[tuple[int, float]]:
    """Return (entry id, score) of published entries whose title or summary resemble TEXT."""

    def operation(searcher) -> list[tuple[int, float]]:
        words = query_words(text)
        fields = [f"{name}_{lang}" for lang in LANGUAGES for name in ("title", "summary")]
        parts = []
        for word in words:
            per_field = [a for f in fields if (a := _field_alternatives(searcher.schema, f, word, voikko)) is not None]
            if per_field:
                parts.append(Q.Or(per_field))
        if not parts:
            return []
        results = searcher.search(Q.Or(parts), limit=limit)
        return [(int(hit["id"]), float(hit.score)) for hit in results]

    return readers.run(operation)
