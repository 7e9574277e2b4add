"""The search API's answer written directly as text (web/views/results_json.py) is what
jsonify(search.results.to_json(…)) gave, byte for byte: hostile and non-ASCII strings, every
facet, no hits, a correction, debug's indented JSON."""

from types import SimpleNamespace

import pytest
from flask import jsonify, url_for

from ideapankki.search import results as searching
from ideapankki.search.filters import Facet
from ideapankki.search.query import Hit
from ideapankki.web.views import results_json

HOSTILE = "<script>\"x\"</script> & \\ ä ö å € 😀 \n\t\u2028"


def _result(entries=3, corrected=False, suggestion=None, query=HOSTILE):
    cards = [SimpleNamespace(id=n, slug=slug, type="idea", title=f"{HOSTILE} {n}", summary=HOSTILE, language="sv")
             for n, slug in zip(range(entries), ["a-slug", "b-c-1", "Ääkkönen slug"])]
    hits = {c.id: Hit(c.id, c.slug, c.language, 1.234567891 * (c.id + 1), "<mark>ä</mark> &amp;" if c.id else None)
            for c in cards}
    facets = {"type": Facet("type", [("idea", 3), ("norm", 1)]), "year": Facet("year", [(2024, 2), (2019, 1)]),
              "municipality": Facet("municipality", [(f"{i:03}", 400 - i) for i in range(309)]),
              "evidence": Facet("evidence", [(3, 1)]), "theme": Facet("theme", []),
              "region": Facet("region", [("FI1D8", 7), (HOSTILE, 1)])}
    return searching.ResultPage(query=query, sort="relevance", total=entries * 10, page=2, per_page=20, entries=cards, hits=hits,
                                facets=facets, suggestion=suggestion, corrected=corrected)


CASES = [_result(), _result(entries=0, query=""), _result(corrected=True, suggestion="kunta ä"),
         _result(entries=1, suggestion="<b>")]


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("result", CASES)
def test_the_answer_is_what_jsonify_gave(module_app, result, debug):
    module_app.debug = debug
    try:
        with module_app.test_request_context("/api/v1/search?q=a"):
            old = jsonify(searching.to_json(result, lambda e: url_for("public.entry", slug=e.slug, _external=True)))
            new = results_json.search_answer(result)
    finally:
        module_app.debug = False
    assert new.get_data() == old.get_data()
    assert new.mimetype == old.mimetype == "application/json"
    assert b'{"count":400,"value":"000"}' in new.get_data() or debug
