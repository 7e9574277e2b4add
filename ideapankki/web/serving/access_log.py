"""One JSON line per request on `ideapankki.access`, and an X-Request-Id to match it with.

A request id from a trusted proxy (X-Request-Id, if it looks like an id) is kept so one
request can be followed across servers; otherwise a new one is made. The line has the
path without the query string (searches are personal), and the user's numeric id only.
"""

from __future__ import annotations

import re
import secrets
import time

from flask import Flask
from flask.globals import _cv_app, _cv_request

from ... import logs

HEADER = "X-Request-Id"
ENVIRON_KEY = "HTTP_X_REQUEST_ID"
_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def request_id(incoming: str | None) -> str:
    """The proxy's id if it looks like one, else a new one (32 hex digits, as uuid4().hex gives,
    without building a UUID)."""
    return incoming if incoming and _ID.fullmatch(incoming) else secrets.token_hex(16)


def _start() -> None:
    context = _cv_request.get()  # the request context once, not a proxy lookup per name
    g = _cv_app.get().g
    g.request_id = request_id(context.request.environ.get(ENVIRON_KEY))  # not headers.get: an exception when absent
    g.request_started = time.perf_counter()


def _user_id(session) -> int | None:
    if "_user_id" not in session:  # no one logged in: do not load anything
        return None
    from flask_login import current_user

    try:
        return current_user.id if current_user.is_authenticated else None
    except Exception:  # noqa: BLE001 - a log line must never turn a response into an error
        return None


def emit(request_id: str, method: str, path: str, status: int, started: float, user_id: int | None,
         cache: str | None) -> None:
    """Write one access line."""
    line = {
        "request_id": request_id,
        "method": method,
        "path": path,
        "status": status,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        "user_id": user_id,
    }
    if cache:  # "304" (the reader's copy is current) or "etag" (rendered with validators)
        line["cache"] = cache
    logs.emit(logs.ACCESS, line)


def _finish(response):
    context = _cv_request.get()
    g, request = _cv_app.get().g.__dict__, context.request
    request_id = g.get("request_id") or secrets.token_hex(16)
    response.headers[HEADER] = request_id
    emit(request_id, request.method, request.path, response.status_code, g.get("request_started", time.perf_counter()),
         _user_id(context.session), g.get("http_cache"))
    return response


def init_app(app: Flask) -> None:
    """Register before the session's commit hook: after_request hooks run last-registered first,
    so the line is written after the commit and has the final status."""
    logs.configure()
    app.before_request(_start)
    app.after_request(_finish)
