"""JSON API under /api/v1/: published data only, open to every origin for GET."""

from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for

from .. import searching
from ..search import IndexUnavailable
from . import db_session, search_index
from .search import BadSearch, search_request

bp = Blueprint("api", __name__, url_prefix="/api/v1")

SIMILAR_LIMIT = 10


def _entry_url(entry) -> str:
    return url_for("public.entry", slug=entry.slug, _external=True)


def error(status: int, message: str):
    """A JSON error: {"error": message}."""
    return jsonify({"error": message, "status": status}), status


@bp.after_request
def allow_any_origin(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/search")
def search():
    """Search published entries: GET /api/v1/search?q=…&type=…&theme=…&sort=…&page=…"""
    try:
        _args, result = search_request()
    except BadSearch as exc:
        return error(400, str(exc))
    except IndexUnavailable:
        return error(503, "The search index is being rebuilt; try again shortly.")
    return jsonify(searching.to_json(result, _entry_url))


@bp.get("/similar")
def similar():
    """Published entries resembling a title being written: GET /api/v1/similar?title=…"""
    title = (request.args.get("title") or "").strip()
    if not title:
        return error(400, "Give the title to compare as ?title=…")
    if len(title) > 300:
        return error(400, "The title is too long (at most 300 characters).")
    try:
        found = searching.similar(db_session(), search_index(), title, SIMILAR_LIMIT)
    except IndexUnavailable:
        return error(503, "The search index is being rebuilt; try again shortly.")
    return jsonify({"title": title, "results": [
        {"slug": e.slug, "type": e.type, "title": e.title, "url": _entry_url(e), "score": round(score, 4)}
        for e, score in found
    ]})
