"""Public pages: front, browse, entry, municipality, theme. Published entries only."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template
from sqlmodel import select

from ... import adoption_places, adoptions, browse, entry_lists, relations
from ...search import results as searching
from ...models import Municipality
from ...reference import THEME_SLUGS
from ...search import IndexUnavailable
from ..database import db_session
from ..serving import http_cache
from .. import params
from ..index import search_index
from ..templating import FACET_VALUES_SHOWN
from .norm_status import norm_status_form

bp = Blueprint("public", __name__)


def _listing(fixed: dict[str, str]):
    """Parse the filters (FIXED ones come from the URL path) and return them with a page of entries."""
    session = db_session()
    filters = params.filters(session, fixed=fixed)
    page = params.integer("page", 1, 1, params.MAX_PAGE)
    result = browse.list_entries(session, filters, page, current_app.config["PER_PAGE"])
    if page > result.pages:
        abort(404)
    return filters, result


def municipalities_by_code(codes) -> dict[str, Municipality]:
    codes = list(codes)
    if not codes:
        return {}
    rows = db_session().exec(select(Municipality).where(Municipality.code.in_(codes)))
    return {m.code: m for m in rows}


def facet_municipalities(facets, filters) -> dict[str, Municipality]:
    """The municipalities the facet sidebar names: the values it shows and the active filter
    (not every municipality with a count: hundreds of rows per listing for fifteen links)."""
    codes = [code for code, _n in facets["municipality"].counts[:FACET_VALUES_SHOWN]]
    if filters.municipality:
        codes.append(filters.municipality)
    return municipalities_by_code(codes)


def region_names() -> dict[str, tuple[str, str]]:
    return {code: (fi, sv) for code, fi, sv, _count in browse.regions(db_session())}


def _render_listing(template: str, filters, result, **context):
    return render_template(
        template,
        filters=filters,
        result=result,
        municipalities=facet_municipalities(result.facets, filters),
        regions=region_names(),
        **context,
    )


@bp.get("/")
def front():
    """The front page: what the bank is, counts, latest entries, ways in by theme and region."""
    session = db_session()
    return render_template(
        "public/front.html",
        counts=browse.count_by_type(session),
        latest=browse.latest(session),
        theme_counts=dict(browse.facet_counts(session, browse.Filters())["theme"].counts),
        regions=[r for r in browse.regions(session) if r[3]],
    )


@bp.get("/entries")
def entries():
    """Browse published entries with combinable filters, counts and pages."""
    filters, result = _listing({})
    return _render_listing("public/browse.html", filters, result)


@bp.get("/entries/<slug>")
def entry(slug: str):
    """One published entry; its slug is its permanent address."""
    session = db_session()
    lists = entry_lists.load(session, slug)  # the entry and its lists in two statements
    if lists is None:
        abort(404)
    found = lists.entry
    try:
        similar = searching.more_like(session, search_index(), found)
    except IndexUnavailable:
        current_app.logger.warning("search index unavailable: no similar entries for %s", slug)
        http_cache.uncacheable()  # a degraded page: no ETag may vouch for it
        similar = []
    return render_template("public/entry.html", entry=found, similar=similar, status_form=norm_status_form(found),
                           related=relations.links(session, found, lists.linked_here),
                           adoption_counts=adoptions.counted(lists.adoption_rows))


@bp.get("/municipalities/<code>")
def municipality(code: str):
    """A municipality: its region and language, and the published entries that concern it."""
    found = db_session().get(Municipality, code)
    if found is None:
        abort(404)
    filters, result = _listing({"municipality": code})
    return _render_listing("public/municipality.html", filters, result, municipality=found,
                           like_mine=browse.like_municipality(db_session(), found),
                           spread=adoption_places.of_municipality(db_session(), code))


@bp.get("/themes/<slug>")
def theme(slug: str):
    """A theme and its published entries."""
    if slug not in THEME_SLUGS:
        abort(404)
    filters, result = _listing({"theme": slug})
    return _render_listing("public/theme.html", filters, result, theme=slug)
