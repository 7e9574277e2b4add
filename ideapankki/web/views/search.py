"""The search page: a query box on every page leads here."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Blueprint, abort, current_app, g, render_template, request
from flask_babel import force_locale, gettext as _

from ... import browse, listing
from ...search import results as searching
from ...search import SORTS, IndexUnavailable
from ...search.schema import LANGUAGES
from ...search.spelling import fold
from ..database import db_session, reads
from .. import params
from ..serving import http_cache
from ..index import search_index
from ..labels import THEME_LABELS
from . import results_block
from .public import facet_municipalities, listing_table, region_names

bp = Blueprint("search", __name__)
for _name, _function in results_block.GLOBALS.items():
    bp.add_app_template_global(_function, _name)  # the page's results block

MAX_QUERY_LENGTH = 500
RETRY_AFTER_S = 10  # a rebuild of a bank of a few thousand entries takes about this long


@dataclass
class SearchArgs:
    text: str
    filters: browse.Filters
    sort: str
    page: int
    per_page: int
    respell: bool = True  # respell=0 in the URL: the words as typed, no corrections


def parse_search_args(args, default_per_page: int, table: listing.Table | None = None) -> SearchArgs:
    """Validate the query string of a search (page, feed or API); raises params.BadParameter.
    TABLE: the listing table, to check codes in its register instead of by a query."""
    text = args.get("q") or ""
    if len(text) > MAX_QUERY_LENGTH:  # before stripping: the API's document counts what was sent
        raise params.BadParameter("q", _("The search is too long (at most %(max)s characters).",
                                         max=MAX_QUERY_LENGTH))
    sort = params.choice("sort", SORTS, args) or "relevance"
    page = params.integer("page", 1, 1, params.MAX_PAGE, args)
    per_page = params.integer("per_page", default_per_page, 1, searching.MAX_PAGE_SIZE, args)
    respell = params.choice("respell", ("0", "1"), args) != "0"
    filters = params.filters(None, args, table=table) if table is not None else params.filters(db_session(), args)
    return SearchArgs(text.strip(), filters, sort, page, per_page, respell)


def search_request() -> tuple[SearchArgs, searching.ResultPage]:
    """Run the search this request asks for (raises params.BadParameter or IndexUnavailable).

    An anonymous reader's search (the ETag check read the site's version) opens no session, as a
    listing does (public._listing): codes are checked in the listing table at that version, the
    index catches up to it, the cards are read on the request's pooled connection. Otherwise the
    version is the session's read."""
    version = g.get("site_version")
    if version is None:
        args = parse_search_args(request.args, current_app.config["PER_PAGE"])
        session = db_session()
        version = http_cache.request_version(session)  # one read: the catch-up and the listing table ask again
    else:
        args = parse_search_args(request.args, current_app.config["PER_PAGE"], listing_table())
        session = SessionWhenAsked()
    result = searching.find(session, search_index(), args.text, args.filters, sort=args.sort, page=args.page,
                            per_page=args.per_page, respell=args.respell, load=load_cards, version=version)
    return args, result


class SessionWhenAsked:
    """searching.find's session for a search read without one: the cards come from the pooled
    connection (load_cards); only a search that found nothing and nothing near its words reads the
    newest entries through the request's session, opened then."""

    def exec(self, statement):
        return db_session().exec(statement)


def load_cards(session, ids: list[int]) -> dict[int, listing.Card]:
    """The page's and the API's entries: the columns they show (listing.Card), one query (on the
    request's pooled connection when the search has no session)."""
    source = reads() if isinstance(session, SessionWhenAsked) else session
    return {card.id: card for card in listing.cards(source, ids, listing_table())}


@bp.get("/search")
def search_page():
    """Search published entries, with facets, highlights, sorting and a spelling suggestion."""
    try:
        args, result = search_request()
    except IndexUnavailable:  # SearchIndex logged the cause and started a rebuild
        return render_template("search/unavailable.html"), 503, {"Retry-After": str(RETRY_AFTER_S)}
    if args.page > result.pages:
        abort(404)
    themes = matching_themes(args.text) if not result.total else []
    return render_template("search/results.html", result=result, filters=args.filters, themes=themes,
                           municipalities=facet_municipalities(result.facets, args.filters), regions=region_names())


def matching_themes(text: str) -> list[str]:
    """Slugs of the themes whose name, in any of the three languages, shares a word with TEXT
    (the first five letters, ä, ö and å folded: "asumisesta" meets Asuminen)."""
    typed = {fold(word)[:5] for word in re.findall(r"\w+", text.lower()) if len(word) >= 4}
    return [slug for slug, stems in _theme_stems().items() if typed & stems]


THEME_STEMS_KEY = "ideapankki.theme_stems"


def _theme_stems() -> dict[str, frozenset[str]]:
    """Each theme's folded five-letter word stems in the three languages: the same for every search
    (the labels and catalogues are the code's), so worked out once per app, not per search that
    found nothing (a forced locale per theme and language)."""
    found = current_app.extensions.get(THEME_STEMS_KEY)
    if found is None:
        found = {}
        for slug, label in THEME_LABELS.items():
            names = {slug}
            for language in LANGUAGES:
                with force_locale(language):
                    names.update(re.findall(r"\w+", str(label).lower()))
            found[slug] = frozenset(fold(name)[:5] for name in names if len(name) >= 4)
        current_app.extensions[THEME_STEMS_KEY] = found
    return found
