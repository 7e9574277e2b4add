"""The index schema and how a published entry becomes an index document."""

from __future__ import annotations

import html
import re

from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Frequency
from whoosh.system import pack_uint

from ..models import Entry
from .analysis import WordByWord, analyzers, finnish_analyzer
from .forms import HIGHLIGHT_FORMS
from .whoosh_private import PlainStoredReader, PlainStoredWriter

LANGUAGES = ("fi", "sv", "en")
TEXT_FIELDS = ("title", "summary", "body")
# Field weights: a match in the title says more than one deep in the body.
WEIGHTS = {"title": 3.0, "summary": 2.0, "body": 1.0, "tags": 2.0, "laws": 2.0, "places": 1.5}
FACETS = ("type", "theme", "region", "municipality", "year", "trial_status", "norm_status", "evidence")
MULTI_VALUED = {"theme", "region", "municipality"}
# Each document's title's, summary's and body's tokens with their analysed forms and where they are in the
# body are stored with it (forms.HIGHLIGHT_FORMS; added by the indexer, which knows the analysis).

# Postings a block of PlainStoredCodec holds: a common word's few thousand postings in a few blocks (the
# unpickling of each costs the same few microseconds); Whoosh's 128 made a block for every 128.
POSTING_BLOCK = 1024

_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+")


class IndexCodec(W3Codec):
    """Whoosh 3's format without per-block length statistics.

    Ranking reads each document's field lengths itself (vectors.py); not keeping the block
    statistics spares a length lookup per posting when writing, a sixth of a rebuild. Whoosh's
    own searches (more-like-this) still rank right: their block bounds only get looser.
    """

    length_stats = False


class PlainStoredCodec(IndexCodec):
    """IndexCodec whose stored fields are pickled without zlib (whoosh_private.PLAIN_STORED): a page of
    hits reads twenty stored documents, and inflating them cost more than reading them. Segments keep
    the codec that wrote them, so an older generation's (IndexCodec) still reads; LAYOUT 2 rebuilds it.

    Its posting blocks are not compressed either, and hold up to POSTING_BLOCK postings instead of 128
    (LAYOUT 6): a search whose words a worker has not read yet spent most of its time inflating and
    unpickling blocks (postings.read_postings reads a term's blocks whole; Whoosh's own matcher, which
    skips within them, reads only the few postings of an id or a similar-entry lookup)."""

    def __init__(self):
        super().__init__(blocklimit=POSTING_BLOCK, compression=0)

    def per_document_writer(self, storage, segment):
        return PlainStoredWriter(self, storage, segment)

    def per_document_reader(self, storage, segment):
        return PlainStoredReader(storage, segment)


class WordCounts(Frequency):
    """Whoosh's Frequency postings, counted per distinct word instead of per token.

    Frequency.word_values runs the analyzer token by token through generators; our analyzers
    map a word to the same texts every time (WordByWord), so counting the words first and
    expanding each once gives the same terms, frequencies and weights at a fraction of the cost
    (a rebuild spends most of its time here).
    """

    def word_values(self, value, analyzer, **kwargs):
        if not isinstance(analyzer, WordByWord) or not isinstance(value, str) or kwargs.get("boost", 1.0) != 1.0:
            return super().word_values(value, analyzer, **kwargs)
        boost = self.field_boost
        return ((text, freq, freq * boost, pack_uint(freq)) for text, freq in analyzer.counts(value).items())


def _text(analyzer, stored: bool = False) -> TEXT:
    """A TEXT field without positions (no phrase search) whose postings are counted per word."""
    field = TEXT(analyzer=analyzer, phrase=False, stored=stored)
    field.format = WordCounts(field_boost=field.format.field_boost)
    return field


def build_schema(finnish: str = "voikko") -> Schema:
    """Return the schema; FINNISH chooses the Voikko analyzer or the Snowball baseline."""
    per_language = analyzers(finnish)
    titles = analyzers(finnish, stops=False)  # a title keeps its stop words: "Miten ..." (weighting.py)
    fields = {
        "id": ID(stored=True, unique=True),
        "slug": ID(stored=True),
        "language": ID(stored=True),
        "published": NUMERIC(int, bits=32, stored=True, sortable=True),
        HIGHLIGHT_FORMS: STORED(),
        # everything the Finnish analyzer handles whatever the entry's language: names, laws, tags
        "places": _text(finnish_analyzer() if finnish == "voikko" else per_language["fi"]),
        "laws": _text(finnish_analyzer() if finnish == "voikko" else per_language["fi"]),
        "tags": _text(finnish_analyzer() if finnish == "voikko" else per_language["fi"]),
    }
    for facet in FACETS:
        fields[f"f_{facet}"] = KEYWORD(lowercase=False, commas=False) if facet in MULTI_VALUED else ID()
    for language in LANGUAGES:
        for name in TEXT_FIELDS:
            fields[f"{name}_{language}"] = _text((titles if name == "title" else per_language)[language], stored=True)
    return Schema(**fields)


def plain_text(body_html: str) -> str:
    """Return the visible text of sanitised HTML (for indexing and highlights)."""
    return html.unescape(_TAG.sub(" ", body_html)).strip()


def facet_values(entry: Entry) -> dict[str, list[str]]:
    """Return the facet values of ENTRY (each a list; single-valued facets have one or none)."""
    municipalities = entry.municipalities
    return {
        "type": [entry.type],
        "theme": list(entry.theme_slugs),
        "region": sorted({m.region_code for m in municipalities}),
        "municipality": [m.code for m in municipalities],
        "year": [str(entry.own_date.year)] if entry.own_date else [],  # a practice by its start (OWN_DATE)
        "trial_status": [entry.trial_status] if entry.trial_status else [],
        "norm_status": [entry.norm_events[-1].status] if entry.norm_events else [],
        "evidence": [str(entry.evidence_level)] if entry.evidence_level else [],
    }


# The structured description's values that are not words to search: choices, levels, addresses, dates.
_NOT_TEXT = frozenset({"practice_status", "evidence_level", "evidence_proposed", "source", "report", "url", "date"})


def structured_text(details: dict | None) -> str:
    """The words of a structured description (goals, results' indicators, lessons, transferability…):
    every text value of the JSON column, in its canonical order, one paragraph each."""
    texts: list[str] = []

    def walk(value) -> None:
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in _NOT_TEXT:
                    walk(item)

    walk(details or {})
    return "\n\n".join(texts)


def document(entry: Entry) -> dict:
    """Return the index document of a published ENTRY."""
    language = entry.language if entry.language in LANGUAGES else "fi"
    # the structured description is read as part of the body: secondary text, the body's weight
    body = "\n\n".join(filter(None, (plain_text(entry.body_html), structured_text(entry.details))))
    facets = facet_values(entry)
    places = []
    for m in entry.municipalities:
        places += [m.name_fi, m.name_sv, m.region_fi, m.region_sv]
    laws = [" ".join(filter(None, (law.title, law.number, law.section))) for law in entry.laws]
    doc = {
        "id": str(entry.id),
        "slug": entry.slug,
        "language": language,
        "published": entry.published_on.toordinal() if entry.published_on else 0,
        "places": " ".join(places),
        "laws": " ".join(laws),
        "tags": " ".join(entry.tags),
        f"title_{language}": entry.title,
        f"summary_{language}": entry.summary,
        f"body_{language}": body,
    }
    for facet, values in facets.items():
        if values:
            doc[f"f_{facet}"] = " ".join(values)
    return doc


def words_of(doc: dict) -> set[str]:
    """The lower-case words of an index document that Voikko analyses (to look them up in advance)."""
    texts = [value for name, value in doc.items() if name.split("_")[0] in WEIGHTS and isinstance(value, str)]
    return set(_WORD.findall(" ".join(texts).lower()))
