"""The search page's results block written in Python: the facet sidebar, the count, the active
filters, the hits' cards, the page links, the data and feed links.

search/results.html imported three partials `with context` (every render instantiated their
template modules, their macros bound to the page's context) and called a macro per piece, most
of them around markup already built in Python: about a third of the page's template time. The
block is the same text, byte for byte (tests/web/test_results_block.py keeps the template it
replaces): the pieces listing_block writes for the listings (facets.sidebar, the facet jump,
the active filters, the feed links), the hits' cards and page links from listing_html, the fixed
words from listing_words.
"""

from __future__ import annotations

from flask import request
from jinja2 import pass_context
from markupsafe import Markup, escape

from ..i18n import url_with_query
from . import listing_html, listing_words
from .facets import sidebar
from .listing_block import active_filters, facets_jump, feed_link, ngettext


@pass_context
def search_block(context, result, filters, nothing_found: str = "") -> Markup:
    """RESULT (searching.ResultPage) under FILTERS; NOTHING_FOUND: the markup shown in place of the
    cards when there are none (search/_nothing_found.html, rendered by the page)."""
    words = listing_words.words(context)
    active = filters.active()
    parts = ['<div class="listing">\n  ', sidebar(context, result.facets, filters),
             '\n  <section class="results" aria-labelledby="results-title">\n'
             '    <h2 id="results-title" aria-live="polite">', _count(context, result), "</h2>\n",
             facets_jump(words, active), "    ", active_filters(context, words, active), "\n"]
    if result.entries:
        parts += ["    ", listing_html.search_cards(context, result), "\n    ", listing_html.pagination(context, result),
                  "\n"]
    else:
        parts.append(nothing_found)
    parts += ['    <p class="feed-hint">', words["as_data"], ' <a href="', escape(url_with_query("api.search", request.args.to_dict())),
              '">JSON</a></p>\n    ', feed_link(context, words, words["search_feed"]), "\n  </section>\n</div>"]
    return Markup("".join(parts))


def _count(context, result) -> Markup:
    """The results' heading: their number, and the words they were found for."""
    if not result.query:
        return ngettext("%(num)s entry", "%(num)s entries", result.total, context)
    return ngettext("%(num)s result for “%(query)s”", "%(num)s results for “%(query)s”", result.total, context,
                    query=result.suggestion if result.corrected else result.query)


GLOBALS = {"search_block": search_block}
