"""Public pages: front, browse, entry, municipality, theme. Published entries only."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, render_template
from sqlmodel import select

from ... import adoption_places, adoptions, browse, countcache, entry_lists, listing, relations
from ...search import results as searching
from ...models import Municipality
from ...reference import THEME_SLUGS
from ...search import IndexUnavailable
from ..database import db_session, engine, reads
from ..serving import http_cache
from .. import params
from ..index import search_index
from . import entry_html, facets, listing_block, listing_html
from .norm_status import norm_status_form

bp = Blueprint("public", __name__)
_GLOBALS = {**listing_html.GLOBALS, **facets.GLOBALS, **listing_block.GLOBALS, **entry_html.GLOBALS}
for _name, _function in _GLOBALS.items():
    bp.add_app_template_global(_function, _name)  # the cards, facet sidebar, page links, results block, entry page


def _listing(fixed: dict[str, str]):
    """Parse the filters (FIXED ones come from the URL path) and return them with a page of entries.

    Read without a session: codes are checked in the listing table's register and the cards read
    on the request's pooled connection (db_reads), so an anonymous reader's listing opens no
    session, begins no transaction and commits nothing (the table is found by the version the
    ETag check read)."""
    found = listing_table()
    filters = params.filters(None, fixed=fixed, table=found)
    page = params.integer("page", 1, 1, params.MAX_PAGE)
    result = browse.list_cards(reads(), filters, page, current_app.config["PER_PAGE"], found)
    if page > result.pages:
        abort(404)
    return filters, result


def municipalities_by_code(codes) -> dict[str, Municipality]:
    codes = list(codes)
    if not codes:
        return {}
    rows = db_session().exec(select(Municipality).where(Municipality.code.in_(codes)))
    return {m.code: m for m in rows}


def facet_municipalities(facets=None, filters=None) -> dict[str, listing.Place]:
    """The municipalities the facet sidebar may name: the register, read with the listing table
    (once per site version), not a query per page."""
    return listing_table().register


def region_names() -> dict[str, tuple[str, str]]:
    return listing_table().regions


def listing_table() -> listing.Table:
    """The listing table, looked up once per request: at the version the ETag check read (an
    anonymous reader's page; no session unless the table is built), else at the session's."""
    found = g.get("_listing_table")
    if found is None:
        version = g.get("site_version")
        if version is None:
            session = db_session()
            http_cache.request_version(session)
            found = listing.table(session)
        else:
            found = listing.table_at(countcache.database_name(engine()), version, db_session)
        g._listing_table = found
    return found




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
    held = reads()  # fixed reads on a pooled connection: no session, nothing to commit
    lists = entry_lists.load(held, slug)  # the entry and its lists in two statements
    if lists is None:
        abort(404)
    found = lists.entry
    try:
        similar = searching.more_like(held, search_index(), found, applied=http_cache.index_applied())
    except IndexUnavailable:
        current_app.logger.warning("search index unavailable: no similar entries for %s", slug)
        http_cache.uncacheable()  # a degraded page: no ETag may vouch for it
        similar = []
    return render_template("public/entry.html", entry=found, similar=similar, status_form=norm_status_form(found),
                           related=relations.links(db_session(), found, lists.linked_here)
                           if found.relations or lists.linked_here else [],
                           adoption_counts=adoptions.counted(lists.adoption_rows))


@bp.get("/municipalities/<code>")
def municipality(code: str):
    """A municipality: its region and language, and the published entries that concern it. Read
    as a listing is (_listing): fixed reads on the request's pooled connection, no session."""
    held = reads()
    found = browse.municipality(held, code)
    if found is None:
        abort(404)
    filters, result = _listing({"municipality": code})
    return _render_listing("public/municipality.html", filters, result, municipality=found,
                           like_mine=browse.like_municipality(held, found, found=listing_table()),
                           spread=adoption_places.of_municipality(held, code))


@bp.get("/themes/<slug>")
def theme(slug: str):
    """A theme and its published entries."""
    if slug not in THEME_SLUGS:
        abort(404)
    filters, result = _listing({"theme": slug})
    return _render_listing("public/theme.html", filters, result, theme=slug)
