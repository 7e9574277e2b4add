"""Run a reader's query: matching documents, facet counts, a ranked page with highlights, suggestions.

Matching and ranking are array operations (vectors.py) over the query that parsing.py builds;
Whoosh's own searcher serves stored fields, more-like-this and the title check of the submit form.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from whoosh import query as Q

from . import neighbours
from .filters import Filters
from .forms import HIGHLIGHT_FORMS
from .highlight import highlight, query_terms
from .parsing import LANGUAGES, Parsed, _field_alternatives, parse_query, query_words
from .reading import Generation, Readers
from .schema import FACETS
from .spelling import capitals, corrections, respelled
from .thesaurus import exact_first
from .vectors import evaluate, from_int, to_int, top
from .weighting import is_function_word
from .whoosh_private import stored_document



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


def run_search(readers: Readers, text: str, filters: Filters, *, sort: str = "relevance", page: int = 1,
               per_page: int = 20, voikko: bool = True, respell: bool = True, thesaurus=None) -> SearchResponse:
    """Search the index: matching documents, facet counts, one page of hits, a spelling suggestion.

    Words no text uses get their safe corrections (spelling.py; not with RESPELL false): searched
    alongside the typed words, offered as "did you mean"; when nothing matches as typed, the results
    are those of the respelling (`corrected` is set) and the page offers the query as typed.
    """

    def operation(searcher) -> SearchResponse:
        view = readers.corpus(searcher)
        match = _match(searcher, view, text, filters, voikko, thesaurus=thesaurus)
        total = int(match.final.sum())
        found, rare = corrections(view.corpus, searcher.schema, readers.store.lemmas.vocabulary(),
                                  [w for w in match.parsed.words if not is_function_word(w, voikko)], voikko, capitals(text),
                                  thesaurus.knows if thesaurus is not None else None, total) if respell else ({}, {})
        suggestion, corrected = respelled(match.parsed.words, {**rare, **found}), False
        if found and not total:  # nothing as typed: the respelled query's results ("search instead for")
            match = _match(searcher, view, suggestion, filters, voikko, thesaurus=thesaurus)
            total, corrected = int(match.final.sum()), True
        elif found:  # the typed words find something: keep them, their corrections search alongside
            match = _match(searcher, view, text, filters, voikko, found, thesaurus)
            total = int(match.final.sum())
        hits = _page(searcher, view, match, sort, page, per_page, voikko) if total else []
        return SearchResponse(total, hits, match.facets, suggestion, page, per_page, match.parsed.words, corrected)

    return readers.run(operation)


@dataclass
class _Matched:
    parsed: Parsed
    scores: np.ndarray
    final: np.ndarray  # matched and passing the filters
    facets: dict[str, list[tuple[str, int]]]


def _match(searcher, view: Generation, text: str, filters: Filters, voikko: bool,
           respell: dict[str, str] | None = None, thesaurus=None) -> _Matched:
    # The documents are those with any of the words; the all-words part of the query only ranks.
    parsed = parse_query(searcher.schema, text, voikko, respell, thesaurus)
    corpus, bits = view.corpus, view.facets
    if parsed.ranked is not None:
        memo: dict = {}  # the words as typed are parts of the ranked query: scored once
        scores, matched = evaluate(corpus, parsed.ranked, memo)
        if parsed.exact is not None:
            scores = exact_first(corpus, parsed.exact, scores, memo)
    else:
        scores, matched = np.zeros(corpus.size, np.float32), corpus.live
    matched_bits = to_int(matched)
    by_filter = {name: bits.value_mask(name, str(value)) for name, value in filters.active().items()}
    allowed = {}
    for facet in FACETS:
        mask = matched_bits
        for name, satisfying in by_filter.items():
            if name != facet:
                mask &= satisfying
        allowed[facet] = mask
    final = matched_bits
    for satisfying in by_filter.values():
        final &= satisfying
    final_flags = from_int(final, corpus.size) if by_filter else matched
    return _Matched(parsed, scores, final_flags, bits.count(allowed))


def matching_ids(readers: Readers, text: str, filters: Filters, voikko: bool = True, thesaurus=None) -> set[int]:
    """Ids of every entry TEXT and FILTERS match (as a search finds them; no page, no respelling)."""

    def operation(searcher) -> set[int]:
        view = readers.corpus(searcher)
        match = _match(searcher, view, text, filters, voikko, thesaurus=thesaurus)
        return {int(searcher.stored_fields(int(docnum))["id"]) for docnum in np.flatnonzero(match.final)}

    return readers.run(operation)


def _page(searcher, view: Generation, match: _Matched, sort: str, page: int, per_page: int,
          voikko: bool) -> list[Hit]:
    query = match.parsed.ranked
    newest = sort == "newest" or query is None
    docnums = top(view.corpus, match.scores, match.final, page * per_page, newest)[(page - 1) * per_page:]
    terms = query_terms(query) if query is not None else {}
    finnish = "voikko" if voikko else "snowball"
    hits = []
    for docnum in docnums:
        stored = _stored(view.corpus, docnum)
        language = stored["language"]
        snippet = ""
        for name in ("body", "summary", "title"):
            fieldname = f"{name}_{language}"
            snippet = highlight(stored.get(fieldname) or "", terms.get(fieldname, set()), language, finnish,
                                forms=stored.get(HIGHLIGHT_FORMS), body=name == "body")
            if snippet:
                break
        hits.append(Hit(int(stored["id"]), stored["slug"], language, float(match.scores[docnum]), snippet))
    return hits


def _stored(corpus, docnum: int) -> dict:
    """The stored fields of the global DOCNUM, read from its segment (whoosh_private.stored_document)."""
    for segment, offset, _sid in reversed(corpus.leaves):
        if docnum >= offset:
            return stored_document(segment, docnum - offset)
    raise IndexError(docnum)


def more_like(readers: Readers, entry_id: int, limit: int = 5) -> list[int]:
    """Return ids of published entries most like ENTRY_ID (not itself), best first.

    The lists are computed when the index changes (neighbours.py) and read here with one lookup.
    An entry with no list yet is computed for this view and not kept: reads never write.
    """

    def operation(searcher) -> list[int]:
        stored = readers.similar_lists().get(entry_id)
        if stored is None:
            stored = neighbours.similar_ids(searcher, readers.corpus(searcher).corpus, entry_id) or []
        return stored[:limit]

    return readers.run(operation)


def more_like_shown(readers: Readers, entry_id: int) -> list[list] | None:
    """ENTRY_ID's similar entries as the rows its page shows ([id, slug, type, title, language],
    best first, as of the index's last change), or None when its generation keeps none for it."""
    return readers.run(lambda _searcher: readers.similar_lists().shown(entry_id))


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
