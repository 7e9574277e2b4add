"""A listing's repeated markup built in Python: the result cards and the page links.

A browse page repeats small pieces of markup many times: twenty cards and up to eleven page
links (the facet sidebar is facets.sidebar). As Jinja macros each card, link and expression cost
a macro call, context lookups and an escape of its own: about half of a listing page's CPU. Here each
piece is a few string joins, with what is the same on every page of a language (type badges,
language notes, the translated words) made once per app and locale.

The output is byte for byte what the templates gave (partials/macros.html: entry_card, entry_list,
pagination; search/results.html: the hits' cards), which now call these functions, so every page
that shows cards (browse, theme, municipality, front, programme, search) is unchanged. The fixed
words come from listing_words, one table per language for every piece of a listing.
Values are escaped as Jinja's autoescape escapes them (markupsafe.escape: label tables are
Markup and pass unchanged). Every UI string is still translated with Flask-Babel's gettext, in
the request's locale.
"""

from __future__ import annotations

from functools import lru_cache

from jinja2 import pass_context
from markupsafe import Markup, escape

from ..slug_links import linker
from ..templating import long_date, page_numbers, urls_with
from . import listing_words

try:  # markupsafe's C escape of a str, without a Markup made per value (some 300 values a page)
    from markupsafe._speedups import _escape_inner as _escaped
except ImportError:  # another markupsafe: its public escape, the same text
    def _escaped(text: str) -> str:
        return str(escape(text))

PLACES_SHOWN = 6  # municipalities named on a card; the rest are counted ("and 3 more")


def entry_href(slug: str) -> str:
    """url_for('public.entry', slug=SLUG), through slug_links (the rule's parts built once per process)."""
    return linker()("public.entry", "slug", slug)


def _hrefs():
    """entry_href for a list of cards: slug_links' linker looked up once, not per card."""
    link = linker()
    return lambda slug: link("public.entry", "slug", slug)


def card_date(value, locale: str) -> str:
    """A card's date as the `date` filter formats it in LOCALE (the page's): formatted once per
    process and date, not by Babel for each of twenty cards."""
    return _card_date(value, locale) if value else ""


@lru_cache(maxsize=8192)
def _card_date(value, locale: str) -> str:
    return long_date(value)  # in the request's locale, which is LOCALE


@pass_context
def entry_cards(context, entries) -> Markup:
    """partials/macros.html's entry_list: a list of ENTRIES' cards (listing.Card or Entry)."""
    words, href = listing_words.words(context), _hrefs()
    return Markup("".join(["<ul class=\"cards\">\n",
                           *["  <li>" + _card(entry, words, "3", href) + "</li>\n" for entry in entries],
                           "</ul>\n"]))


@pass_context
def entry_card(context, entry, heading_level=3) -> Markup:
    """partials/macros.html's entry_card: one entry's card with a heading of HEADING_LEVEL."""
    return Markup(_card(entry, listing_words.words(context), str(escape(heading_level)), entry_href))


def _card(entry, words: dict, heading: str, href) -> str:
    """One card with a heading of level HEADING (escaped), its link made by HREF(slug): only texts
    from the database (plain str) and the entry's URL are escaped here; the badge and language
    note were escaped with the words."""
    locale, lang = words["locale"], _escaped(entry.language)
    parts = [f'<article class="card">\n  <p class="card-meta">{"".join(_meta(entry, words))}</p>\n  <h{heading} '
             f'class="card-title"><a href="{_escaped(href(entry.slug))}" lang="{lang}">{_escaped(entry.title)}</a>'
             f'</h{heading}>\n  <p class="card-summary" lang="{lang}">{_escaped(entry.summary)}</p>\n']
    places = entry.municipalities
    if places:
        parts.append('  <p class="card-places">')
        parts.append(", ".join([_escaped(m.name_sv if locale == "sv" else m.name_fi) for m in places[:PLACES_SHOWN]]))
        if len(places) > PLACES_SHOWN:
            parts += [" ", words["and_more"] % {"count": len(places) - PLACES_SHOWN}]
        parts.append("</p>\n")
    parts.append("</article>\n")
    return "".join(parts)


def _meta(entry, words: dict) -> list[str]:
    """A card's type badge, date and the note of a language other than the page's.

    The date is the entry's own period when it has one (a trial's "1.3.2021 – 30.6.2023", written as
    on the entry page), else the day it was published: a trial of 2021–2023 entered in the bank in
    2026 must not read as a trial of 2026."""
    kind, language = entry.type, entry.language
    parts = [words["badge"].get(kind) or f'<span class="badge badge-{escape(kind)}"></span>', "\n"]
    start = entry.period_start
    if start:  # one span: the meta line's flex gap would otherwise widen the dash
        parts += ["<span>", *_time(start, words["locale"]), " – "]
        if entry.period_end:
            parts += _time(entry.period_end, words["locale"])
        parts.append("</span>")
    elif entry.published_on:
        parts += _time(entry.published_on, words["locale"])
    if language != words["locale"]:
        parts.append(words["lang_note"].get(language) or '<span class="lang-note">()</span>')
    return parts


def _time(day, locale: str) -> list[str]:
    return ['<time datetime="', _escaped(day.isoformat()), '">', _escaped(card_date(day, locale)), "</time>"]


@pass_context
def search_cards(context, result) -> Markup:
    """search/results.html's list of hits: each entry's card with its highlighted passage (HTML the
    search escaped, with <mark> around matched words) instead of its summary, when it has one."""
    words, href = listing_words.words(context), _hrefs()
    parts = ['<ol class="cards search-results" start="', str((result.page - 1) * result.per_page + 1), '">\n']
    for entry in result.entries:
        hit = result.hits.get(entry.id)
        lang = _escaped(entry.language)
        parts += ['      <li>\n        <article class="card">\n          <p class="card-meta">', *_meta(entry, words),
                  '</p>\n          <h3 class="card-title"><a href="', _escaped(href(entry.slug)), '" lang="',
                  lang, '">', _escaped(entry.title), "</a></h3>\n"]
        if hit is not None and hit.highlight:
            parts += ['          <p class="card-summary highlight" lang="', lang, '">… ', hit.highlight, " …</p>\n"]
        else:
            parts += ['          <p class="card-summary" lang="', lang, '">', _escaped(entry.summary), "</p>\n"]
        parts.append("        </article>\n      </li>\n")
    parts.append("    </ol>")
    return Markup("".join(parts))


@pass_context
def pagination(context, result) -> Markup:
    """partials/macros.html's pagination: links to the first, last and nearby pages of RESULT."""
    page, pages = result.page, result.pages
    if not pages > 1:
        return Markup("")
    words = listing_words.words(context)
    numbers = page_numbers(page, pages)
    linked = ([page - 1] if page > 1 else []) + [n for n in numbers if n is not None and n != page] + (
        [page + 1] if page < pages else [])
    href = dict(zip(linked, [_escaped(url) for url in urls_with("page", linked)]))  # one join of the query
    parts = ['<nav class="pagination" aria-label="', words["pages"], '">\n  <ul>\n']
    if page > 1:
        parts += ['<li><a href="', href[page - 1], '" rel="prev">', words["previous"], "</a></li>"]
    for number in numbers:
        if number is None:
            parts.append('    <li><span class="gap">…</span></li>\n')
        elif number == page:
            parts += ['    <li><span aria-current="page">', str(number), "</span></li>\n"]
        else:
            parts += ['    <li><a href="', href[number], '">', str(number), "</a></li>\n"]
    if page < pages:
        parts += ['<li><a href="', href[page + 1], '" rel="next">', words["next"], "</a></li>"]
    parts.append("  </ul>\n</nav>\n")
    return Markup("".join(parts))


GLOBALS = {"entry_href": entry_href, "card_date": card_date, "entry_cards": entry_cards,
           "entry_card_html": entry_card, "pagination_html": pagination,
           "search_cards": search_cards}
