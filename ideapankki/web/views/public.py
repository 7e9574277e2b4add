"""Public pages: front, browse, entry, municipality, theme. Published entries only."""

from __future__ import annotations

from typing import NamedTuple

from flask import Blueprint, abort, current_app, g, render_template
from jinja2 import pass_context
from sqlmodel import select

from ... import adoption_places, adoptions, browse, entry_lists, listing, relations
from ...search import results as searching
from ...models import Municipality
from ...reference import THEME_SLUGS
from ...search import IndexUnavailable
from ..database import db_session, reads
from ..serving import http_cache
from .. import params
from ..index import search_index
from ..structured_labels import EVIDENCE_LABELS
from ..templating import FACET_VALUES_SHOWN, urls_with
from . import listing_html
from .norm_status import norm_status_form

bp = Blueprint("public", __name__)
for _name, _function in listing_html.GLOBALS.items():  # the cards, facet sidebar and page links
    bp.add_app_template_global(_function, _name)


def _listing(fixed: dict[str, str]):
    """Parse the filters (FIXED ones come from the URL path) and return them with a page of entries."""
    session = db_session()
    filters = params.filters(session, fixed=fixed)
    page = params.integer("page", 1, 1, params.MAX_PAGE)
    result = browse.list_cards(session, filters, page, current_app.config["PER_PAGE"], listing_table())
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
    """The listing table, looked up once per request (each lookup reads the site's version)."""
    found = g.get("_listing_table")
    if found is None:
        session = db_session()
        http_cache.request_version(session)  # the ETag check's read (anonymous readers): not a second query
        found = g._listing_table = listing.table(session)
    return found


FACET_ORDER = ("type", "theme", "region", "municipality", "year", "trial_status", "norm_status", "evidence")
LABELLED = {"type": "TYPE_LABELS", "theme": "THEME_LABELS", "trial_status": "TRIAL_STATUS_LABELS",
            "norm_status": "NORM_STATUS_LABELS"}


class FacetLink(NamedTuple):
    label: str
    count: int
    href: str
    active: bool


class FacetBox(NamedTuple):
    name: str
    open: bool
    links: list[FacetLink]


@bp.app_template_global()
@pass_context
def facet_boxes(context, facets, filters, fixed=()) -> list[FacetBox]:
    """The facet sidebar's boxes and links (partials/filters.html): built here, not by a template
    macro per value, which was most of a listing's sidebar time."""
    active = {name: str(value) for name, value in filters.active().items()}
    boxes = []
    for name in FACET_ORDER:
        counts = facets[name].counts[:FACET_VALUES_SHOWN]
        if name in fixed or not counts:
            continue
        label = facet_label(context, name)
        selected = active.get(name)
        chosen = [str(value) == selected for value, _count in counts]
        hrefs = urls_with(name, [None if on else value for (value, _count), on in zip(counts, chosen)])
        boxes.append(FacetBox(name, name in ("type", "theme") or name in active, [
            FacetLink(label(value), count, href, on) for (value, count), href, on in zip(counts, hrefs, chosen)]))
    return boxes


def facet_label(context, name: str):
    """A function naming NAME's values as partials/filters.html's facet_value_label does."""
    if name in LABELLED:
        table = getattr(context["labels"], LABELLED[name])
        return lambda value: table.get(value, "")
    if name == "evidence":
        return evidence_label
    if name == "region":
        regions, region_name = context["regions"], context["region_name"]
        return lambda value: region_name(*regions[value]) if value in regions else value
    if name == "municipality":
        places, municipality_name = context["municipalities"], context["municipality_name"]
        return lambda value: municipality_name(places[value]) if value in places else value
    return lambda value: value


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
        similar = searching.more_like(held, search_index(), found)
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


@bp.app_template_global()
def evidence_label(value) -> str:
    """An evidence level's name (the active-filter chip; the facet links use facet_label)."""
    return str(EVIDENCE_LABELS.get(int(value), ""))
