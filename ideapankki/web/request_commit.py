"""The request boundary: a request's work commits before its response leaves, then its mail and index follow.

A failed commit is a 500, not a lie. Entries changed in the request are applied to the search
index once the response has gone out (in-process; a search in between catches up itself, see
SearchIndex.refresh_if_behind); should this process die first, the next catch-up applies them.
Mail queued in the transaction goes out once it has committed, after the response too.
"""

from __future__ import annotations

import logging

from flask import Flask, g

from ..search import SearchIndex
from .database import release_reads
from .index import search_index
from .notify import deliver_after_response

log = logging.getLogger(__name__)


def commit_request(response):
    session = g.get("db")
    if session is not None and response.status_code < 400:
        session.commit()
        deliver_after_response(session, response)
        if session.info.pop("entries_changed", False):
            response.call_on_close(_catch_up(search_index()))
    return response


def _catch_up(index: SearchIndex):
    """A callable for Response.call_on_close: apply the change log to INDEX, logging rather than raising."""
    def run() -> None:
        try:
            index.catch_up(wait=False)
        except Exception:  # noqa: BLE001 - the write is safe in the database and the log
            log.exception("search index catch-up failed; it will be retried")
    return run


def close_request(_exc) -> None:
    release_reads()
    session = g.pop("db", None)
    if session is not None:
        session.rollback()
        session.close()


def init_app(app: Flask) -> None:
    app.after_request(commit_request)
    app.teardown_appcontext(close_request)
