"""A listing page's results block and its feed link, written in Python (browse, theme, municipality).

The block was a macro (partials/listing.html) imported `with context` by each listing page, which
itself imported three more partials with context: every render instantiated four template modules
(their macros as objects, bound to the page's context) and went through a macro call per piece,
most of them around markup already built in Python (listing_html.py: the sidebar, the cards, the
page links). Here it is joined once, in the same text: the templates' fixed words translated
once per app and language (listing_words), the variable parts escaped as Jinja's autoescape
escapes them. The search page's results (results_block) use the same pieces.
"""

from __future__ import annotations

from flask import request, url_for
from jinja2 import pass_context
from markupsafe import Markup, escape

from ..templating import url_with
from . import listing_html, listing_words
from .facets import facet_label, sidebar


def ngettext(singular: str, plural: str, number: int, context, **variables) -> Markup:
    """The page's own ngettext (web/page_gettext.py: its language's catalogue, autoescaped as the
    template's was), not Flask-Babel's, which looks the locale up through its context locals. Called
    as the template called it (Context.call passes what the function asks for). Named ngettext so
    that the catalogue extraction finds its strings here."""
    return context.call(context["ngettext"], singular, plural, number, **variables)


@pass_context
def listing_block(context, result, filters, fixed=()) -> Markup:
    """The sidebar, the count, the active filters, the cards, the page links and the feed links of
    RESULT (browse.Page) under FILTERS; FIXED: the filters the page's path sets (not shown as chips)."""
    words = listing_words.words(context)
    active = filters.active()
    parts = ['<div class="listing">\n  ', sidebar(context, result.facets, filters, fixed), '\n  <section class="results" aria-labelledby="results-title">\n'
             '    <h2 id="results-title">', ngettext("%(num)s entry", "%(num)s entries", result.total, context),
             "</h2>\n", facets_jump(words, active), "    ", active_filters(context, words, active, fixed), "\n"]
    if result.entries:
        parts += ["      ", listing_html.entry_cards(context, result.entries), "\n      ",
                  listing_html.pagination(context, result), "\n"]
    else:
        parts += ['      <p class="empty">', words["empty"], "</p>\n"]
    parts += ["    ", feed_link(context, words, words["feed"]), "\n  </section>\n</div>\n"]
    return Markup("".join(parts))


def facets_jump(words: dict, active: dict) -> str:
    """partials/_facets_jump.html: on a phone the results come first and the filters after them;
    this link leads there, with the count of filters in use."""
    if not active:
        return f'<p class="facets-jump"><a class="button secondary" href="#facets-title">{words["narrow"]}</a></p>'
    return (f'<p class="facets-jump"><a class="button secondary" href="#facets-title">{words["narrow"]} '
            f'<span class="nav-count">{len(active)}<span class="visually-hidden"> {words["in_use"]}</span></span>'
            "</a></p>")


def active_filters(context, words: dict, active: dict, fixed=()) -> str:
    """partials/filters.html's active_filters: a chip removing each filter the query sets."""
    if not len(active) > len(fixed):
        return ""
    parts = ['<div class="active-filters">\n  <h2 class="visually-hidden">', words["active"], "</h2>\n  <ul>\n"]
    titles = words["titles"]
    for name, value in active.items():
        if name in fixed:
            continue
        parts += ['    <li><a class="chip" href="', escape(url_with(**{name: None})), '">', titles[name], ": ",
                  escape(facet_label(context, name)(value)),
                  ' <span class="chip-x" aria-hidden="true">×</span><span class="visually-hidden">', words["remove"],
                  "</span></a></li>\n"]
    parts += ['  </ul>\n  <p><a href="', escape(url_for(request.endpoint, **(request.view_args or {}))), '">',
              words["clear"], "</a></p>\n</div>\n"]
    return "".join(parts)


def feed_link(context, words: dict, label: Markup) -> str:
    """partials/feeds.html's feed_link with LABEL, the follow link after it (follow/_link.html); the
    page_feed and follow_link globals (views/feeds.py, views/follow.py) from the page's context."""
    parts = []
    feed = context["page_feed"]()
    if feed:
        parts += ['<p class="feed-link"><a href="', escape(feed.url), '" type="application/atom+xml">', label,
                  "</a></p>"]
    follow = context["follow_link"]()
    if follow:
        parts += ['<p class="feed-link follow-link"><a href="', escape(follow), '">', words["follow"], "</a></p>"]
    return "".join(parts)


@pass_context
def feed_head(context) -> Markup:
    """partials/feeds.html's feed_head: the head's link to the page's feed."""
    feed = context["page_feed"]()
    if not feed:
        return Markup("")
    return Markup(f'<link rel="alternate" type="application/atom+xml" title="{escape(feed.title)}" '
                  f'href="{escape(feed.url)}">')


GLOBALS = {"listing_block": listing_block, "feed_head_html": feed_head}
