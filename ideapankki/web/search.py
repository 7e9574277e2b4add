"""The search page: a query box on every page leads here."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import gettext as _

from .. import browse, searching
from ..search import SORTS, IndexUnavailable
from . import db_session, search_index
from .errors import render_error
from .public import municipalities_by_code, region_names

bp = Blueprint("search", __name__)

MAX_QUERY_LENGTH = 500
RETRY_AFTER_S = 10  # a rebuild of a bank of a few thousand entries takes about this long


class BadSearch(ValueError):
    """A search parameter the site cannot use; the message is for the reader."""


@dataclass
class SearchArgs:
    text: str
    filters: browse.Filters
    sort: str
    page: int
    per_page: int


def parse_search_args(args, default_per_page: int) -> SearchArgs:
    """Validate the query string of a search (page or API)."""
    text = (args.get("q") or "").strip()
    if len(text) > MAX_QUERY_LENGTH:
        raise BadSearch(_("The search is too long (at most %(max)s characters).", max=MAX_QUERY_LENGTH))
    sort = args.get("sort") or "relevance"
    if sort not in SORTS:
        raise BadSearch(_("Unknown sort order: %(value)s", value=sort))
    numbers = {}
    for name, default, top in (("page", 1, 10_000), ("per_page", default_per_page, searching.MAX_PAGE_SIZE)):
        raw = args.get(name) or str(default)
        if not raw.isdigit() or not 1 <= int(raw) <= top:
            raise BadSearch(_("%(name)s must be a whole number from 1 to %(max)s.", name=name, max=top))
        numbers[name] = int(raw)
    try:
        filters = browse.parse_filters(db_session(), args)
    except browse.FilterError as exc:
        raise BadSearch(_("The filter “%(name)s” has a value that does not exist: %(value)s",
                          name=exc.name, value=exc.value)) from None
    return SearchArgs(text, filters, sort, numbers["page"], numbers["per_page"])


def search_request() -> tuple[SearchArgs, searching.ResultPage]:
    """Run the search this request asks for (raises BadSearch or IndexUnavailable)."""
    args = parse_search_args(request.args, current_app.config["PER_PAGE"])
    result = searching.find(db_session(), search_index(), args.text, args.filters, sort=args.sort,
                            page=args.page, per_page=args.per_page)
    return args, result


@bp.get("/search")
def search_page():
    """Search published entries, with facets, highlights, sorting and a spelling suggestion."""
    try:
        args, result = search_request()
    except BadSearch as exc:
        return render_error(400, str(exc))
    except IndexUnavailable:  # SearchIndex logged the cause and started a rebuild
        return render_template("search/unavailable.html"), 503, {"Retry-After": str(RETRY_AFTER_S)}
    if args.page > result.pages:
        abort(404)
    codes = [code for code, _n in result.facets["municipality"].counts]
    return render_template("search/results.html", result=result, filters=args.filters,
                           municipalities=municipalities_by_code(codes), regions=region_names())
