"""JSON API of trial programmes under /api/v1/programmes: published practices only, CORS open."""

from __future__ import annotations

from flask import Blueprint, jsonify, url_for

from ... import opendata, programmes
from ...models import Programme
from ..database import db_session
from .api import error

bp = Blueprint("programmes_api", __name__, url_prefix="/api/v1")


@bp.after_request
def allow_any_origin(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _day(value) -> str | None:
    return value.isoformat() if value else None


def programme_summary(programme: Programme, practices: int) -> dict:
    """What the list shows of each programme."""
    return {
        "slug": programme.slug,
        "url": url_for("programmes.programme", slug=programme.slug, _external=True),
        "title": programme.title,
        "summary": programme.summary,
        "language": programme.language,
        "period": {"start": _day(programme.period_start), "end": _day(programme.period_end)},
        "law": ({"title": programme.law_title, "number": programme.law_number,
                 "confirmed": _day(programme.law_confirmed)} if programme.law_title else None),
        "areas": programme.areas,
        "participants_total": programme.participants_total,
        "participants_listed": len(programme.participant_links),
        "practices": practices,
    }


@bp.get("/programmes")
def index():
    """Every trial programme, the most recent first."""
    session = db_session()
    counts = programmes.practice_counts(session)
    return jsonify({"results": [programme_summary(p, counts.get(p.slug, 0))
                                for p in programmes.all_programmes(session)]})


@bp.get("/programmes/<slug>")
def programme(slug: str):
    """One programme with its named municipalities and its published practices."""
    session = db_session()
    found = programmes.get(session, slug)
    if found is None:
        return error(404, f"No programme {slug!r}.")
    practices = programmes.published_practices(session, slug)
    record = programme_summary(found, len(practices))
    record.update({
        "body_markdown": found.body_md,
        "body_html": found.body_html,
        "municipalities": [opendata.municipality_record(m) for m in found.municipalities],
        "links": [{"title": link.title, "url": link.url} for link in found.links],
        "practice_entries": [
            opendata.summary_record(e, url_for("public.entry", slug=e.slug, _external=True)) for e in practices],
        "feed": url_for("programmes.feed", slug=slug, _external=True),
    })
    return jsonify(record)
