"""How requests reach the views and leave them: hosts, proxy, access log, headers, HTTP validators.

The order is the point: unknown hosts get 400 before Flask; the access log's after_request,
registered first, runs last and shows the status after the commit; the validators' hooks,
registered last, see the view's own response first.
"""

from __future__ import annotations

from flask import Flask

from . import access_log, http_cache, proxy, public_url, security_headers


def init_app(app: Flask) -> None:
    """Before the request boundary (request_commit.init_app) and the views."""
    access_log.init_app(app)


def wrap_app(app: Flask) -> None:
    """After the views: headers, then the WSGI middleware, then the validators' after_request last
    (it must see the view's own response first)."""
    security_headers.init_app(app)
    public_url.init_app(app)
    proxy.init_app(app)
    http_cache.init_app(app)
