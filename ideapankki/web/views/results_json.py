"""GET /api/v1/search's answer written as JSON text: the text jsonify(search.results.to_json(…))
gives, byte for byte, in half its time.

An answer is ~30 KB, most of it the facets: some 350 {"count", "value"} pairs (309 of them
municipalities). Flask's JSON provider sorts the keys of every one of those small dicts, about
two thirds of the answer's serialising. Their text is fixed but for the two values, so it is
written here directly, in the order sort_keys gives ("count" before "value"), each value's JSON
string kept per value (codes, years and levels: a small, closed set); the rest of the answer
(twenty results) goes through json.dumps with Flask's own arguments. Entry URLs are the entry
rule's absolute URL with its slug put in (web/slug_links.py).
When the app's JSON provider is set up otherwise (debug's indented JSON, a provider of its
own), the answer is jsonify's. tests/web/test_results_json.py holds the two texts equal.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring_ascii as _json_string  # what json.dumps(ensure_ascii=True) writes

from flask import current_app, jsonify, url_for
from flask.json.provider import DefaultJSONProvider

from ...search import results as searching
from ..slug_links import linker

VALUES_KEPT = 4096  # distinct facet values whose text is kept (a bank has ~400)
_value_tails: dict[object, str] = {}


def search_answer(result: searching.ResultPage):
    """The response for RESULT: jsonify(to_json(RESULT, entry URL))'s text."""
    provider = current_app.json
    if not _plain(provider):
        return jsonify(searching.to_json(result, _entry_url))
    href = _entry_urls()
    hits = result.hits
    rest = {
        "page": result.page,
        "per_page": result.per_page,
        "query": result.query,
        "results": [{"highlight": hits[e.id].highlight, "language": e.language, "score": round(hits[e.id].score, 4),
                     "slug": e.slug, "summary": e.summary, "title": e.title, "type": e.type, "url": href(e.slug)}
                    for e in result.entries],
        "suggestion": result.suggestion,
        "total": result.total,
    }
    dumps = provider.dumps  # Flask's: sort_keys, ensure_ascii and its default, as jsonify calls it
    text = "".join(['{"corrected":', dumps(result.corrected, separators=(",", ":")), ',"facets":', facets_json(result.facets),
                    ",", dumps(rest, separators=(",", ":"))[1:], "\n"])
    return current_app.response_class(text, mimetype=provider.mimetype)


def facets_json(facets: dict) -> str:
    """{name: [{"count": n, "value": str(v)}, …]} as json.dumps(…, sort_keys=True, compact) writes it."""
    parts = []
    tails = _value_tails
    if len(tails) > VALUES_KEPT:
        tails.clear()
    for name in sorted(facets):
        counts = facets[name].counts
        for value, _count in counts:
            if value not in tails:
                tails[value] = f',"value":{_json_string(str(value))}}}'
        pairs = ",".join([f'{{"count":{int(count)}{tails[value]}' for value, count in counts])  # one join a facet
        parts.append(f'{_json_string(name)}:[{pairs}]')
    return "{" + ",".join(parts) + "}"


def _plain(provider) -> bool:
    """Whether jsonify writes compact JSON with Flask's default provider settings."""
    return (type(provider) is DefaultJSONProvider and provider.sort_keys and provider.ensure_ascii
            and (provider.compact or (provider.compact is None and not current_app.debug)))


def _entry_url(entry) -> str:
    return url_for("public.entry", slug=entry.slug, _external=True)


def _entry_urls():
    """slug -> the entry's absolute URL, as url_for gives it (slug_links: the rule's parts built once)."""
    link = linker()
    return lambda slug: link("public.entry", "slug", slug, True)
