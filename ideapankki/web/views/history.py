"""The public version history of a published entry: each published text, who published it and when,
and what changed from the one before, field by field (never a draft or an edit under review)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from ... import browse, review
from ..database import db_session
from ..field_labels import show

bp = Blueprint("history", __name__)


@bp.get("/entries/<slug>/history")
def versions(slug: str):
    """The published versions of ENTRY, newest first; 404 unless it is published."""
    session = db_session()
    entry = browse.get_published(session, slug)
    if entry is None:
        abort(404)
    return render_template("public/history.html", entry=entry, versions=review.published_versions(session, entry, show))
