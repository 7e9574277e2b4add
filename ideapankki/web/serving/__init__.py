"""How requests reach the views and leave them: hosts, proxy, access log, headers, the page cache.

The order is the point: unknown hosts get 400 before Flask; the fast path (page-cache hits
before Flask) sits inside ProxyFix, so the environ is fixed before it makes its key; the access
log's after_request, registered first, runs last and shows the status after the commit.
"""

from __future__ import annotations

from flask import Flask

from . import access_log, fast_path, page_cache, proxy, public_url, security_headers


def init_app(app: Flask) -> None:
    """Before the request boundary (request_commit.init_app) and the views."""
    access_log.init_app(app)


def wrap_app(app: Flask) -> None:
    """After the views: headers, then the WSGI middleware, then the page cache's after_request last
    (it must see the view's own response first)."""
    security_headers.init_app(app)
    public_url.init_app(app)
    fast_path.init_app(app)
    proxy.init_app(app)
    page_cache.init_app(app)
