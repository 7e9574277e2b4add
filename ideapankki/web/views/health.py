"""GET /healthz for load balancers and monitoring: is the database reachable, is search current?

Answers 503 only when the database is unreachable (the site cannot serve); a search index
behind the change log, missing or damaged is "degraded" with 200, since pages still render and
the index catches up or rebuilds itself. search.index says which: ok, missing, damaged or
rebuilding (a check that finds damage starts the rebuild). Never cached, and it says nothing about people or content.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify

from ..database import ENGINE_KEY
from ..index import search_index

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with current_app.extensions[ENGINE_KEY].connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        return True
    except sa.exc.SQLAlchemyError:
        log.exception("health check: database unreachable")
        return False


def _search_status(database_ok: bool) -> dict:
    if not database_ok:  # the change log lives in the database: nothing to compare against
        return {"ok": False, "index": None, "pending_changes": None, "lag_seconds": None}
    try:
        index = search_index()
        state, problem = index.status()
        pending = index.pending()
        lag = round(index.lag_seconds(), 1)
    except Exception:  # noqa: BLE001 - a broken index is a degraded site, not a failed check
        log.exception("health check: search index unreadable")
        return {"ok": False, "index": "damaged", "pending_changes": None, "lag_seconds": None}
    if problem is not None:  # the cause goes to the log, not to the public answer
        log.warning("health check: search index %s: %s", state, problem)
    if pending < 0:  # no index yet: every change is pending
        return {"ok": False, "index": state, "pending_changes": _change_count(), "lag_seconds": lag}
    return {"ok": pending == 0 and state == "ok", "index": state, "pending_changes": pending, "lag_seconds": lag}


def _change_count() -> int:
    from ...models import EntryChange

    with current_app.extensions[ENGINE_KEY].connect() as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(EntryChange)).scalar_one()


@bp.get("/healthz")
def healthz():
    """{"status": ok|degraded|error, "database": {...}, "search": {...}}; 503 on error."""
    database_ok = _database_ok()
    search = _search_status(database_ok)
    status = "error" if not database_ok else ("ok" if search["ok"] else "degraded")
    response = jsonify({"status": status, "database": {"ok": database_ok}, "search": search})
    response.status_code = 503 if status == "error" else 200
    response.headers["Cache-Control"] = "no-store"
    return response
