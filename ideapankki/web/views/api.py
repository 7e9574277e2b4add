"""JSON API under /api/v1/: published data only, open to every origin for GET."""

from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for
from flask_babel import force_locale

from ... import adoptions, browse, opendata, relations
from ...search import results as searching
from ...reference import THEME_SLUGS
from ...search import IndexUnavailable
from ..database import db_session
from .. import params
from ..index import search_index
from ..labels import THEME_LABELS
from . import results_json
from .openapi import document as openapi_document, refuses_blank
from .search import RETRY_AFTER_S, search_request

bp = Blueprint("api", __name__, url_prefix="/api/v1")

SIMILAR_LIMIT = 10
MAX_PER_PAGE = 100
LANGUAGES = ("fi", "sv", "en")
TITLE_BLANKS = " \t\r\n"


def _entry_url(entry) -> str:
    return url_for("public.entry", slug=entry.slug, _external=True)


def error(status: int, message: str):
    """A JSON error: {"error": message}."""
    return jsonify({"error": message, "status": status}), status


def index_unavailable():
    """503 while the search index is damaged or being rebuilt (it rebuilds itself)."""
    response, status = error(503, "Search is temporarily unavailable: the search index is being rebuilt "
                                  "from the database. Try again shortly.")
    response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response, status


@bp.after_request
def allow_any_origin(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.before_request
def refuse_blank_values():
    """A blank enum or integer value is a 400, as the document says (leave the parameter out for "any").

    The pages read a blank as "any", since their forms send one for an empty choice.
    """
    for name, value in request.args.items(multi=True):
        if value == "" and name in refuses_blank():
            raise params.BadParameter(name, f"{name} must not be empty; leave it out to mean any.")


@bp.get("/search")
def search():
    """Search published entries: GET /api/v1/search?q=…&type=…&theme=…&sort=…&page=…"""
    try:
        _args, result = search_request()
    except IndexUnavailable:
        return index_unavailable()
    return results_json.search_answer(result)  # jsonify(searching.to_json(result, _entry_url))'s text


@bp.get("/similar")
def similar():
    """Published entries resembling a title being written: GET /api/v1/similar?title=…"""
    raw = request.args.get("title") or ""
    title = raw.strip(TITLE_BLANKS)  # what the document's pattern calls blank, in any regex engine
    if not title:
        return error(400, "Give the title to compare as ?title=…")
    if len(raw) > 300:  # as sent, as the document's maxLength counts it
        return error(400, "The title is too long (at most 300 characters).")
    try:
        found = searching.similar(db_session(), search_index(), title, SIMILAR_LIMIT)
    except IndexUnavailable:
        return index_unavailable()
    return jsonify({"title": title, "results": [
        {"slug": e.slug, "type": e.type, "title": e.title, "url": _entry_url(e), "score": round(score, 4)}
        for e, score in found
    ]})


@bp.get("/entries")
def entries():
    """Published entries, newest first, with the browse filters: GET /api/v1/entries?type=…&page=…"""
    page = params.integer("page", 1, 1, params.MAX_PAGE)
    per_page = params.integer("per_page", 20, 1, MAX_PER_PAGE)
    filters = params.filters(db_session())
    result = browse.list_entries(db_session(), filters, page, per_page)
    return jsonify({
        "total": result.total,
        "page": result.page,
        "per_page": result.per_page,
        "pages": result.pages,
        "results": [opendata.summary_record(e, _entry_url(e)) for e in result.entries],
        "facets": {name: [{"value": str(v), "count": n} for v, n in facet.counts]
                   for name, facet in result.facets.items()},
    })


@bp.get("/entries/<slug>")
def entry(slug: str):
    """One published entry with everything public about it."""
    found = browse.get_published(db_session(), slug)
    if found is None:
        return error(404, f"No published entry {slug!r}.")
    links = relations.records(db_session(), found, lambda slug: url_for("public.entry", slug=slug, _external=True))
    adopters = adoptions.records(adoptions.of_entry(db_session(), found))
    return jsonify(opendata.entry_record(found, _entry_url(found), links, adopters))


@bp.get("/municipalities")
def municipalities():
    """The municipality register with each municipality's number of published entries."""
    return jsonify({"results": [
        {**opendata.municipality_record(m), "entries": count,
         "url": url_for("public.municipality", code=m.code, _external=True)}
        for m, count in opendata.municipalities_with_counts(db_session())
    ]})


@bp.get("/themes")
def themes():
    """The fixed list of themes, named in Finnish, Swedish and English, with entry counts."""
    counts = dict(browse.facet_counts(db_session(), browse.Filters())["theme"].counts)
    names = {}
    for language in LANGUAGES:
        with force_locale(language):
            names[language] = {slug: str(THEME_LABELS[slug]) for slug in THEME_SLUGS}
    return jsonify({"results": [
        {"slug": slug, "name_fi": names["fi"][slug], "name_sv": names["sv"][slug], "name_en": names["en"][slug],
         "entries": counts.get(slug, 0), "url": url_for("public.theme", slug=slug, _external=True)}
        for slug in THEME_SLUGS
    ]})


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API."""
    return jsonify(openapi_document(url_for("api.search", _external=True).rsplit("/", 1)[0]))
