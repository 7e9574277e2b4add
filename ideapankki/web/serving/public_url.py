"""Absolute links from the configured public URL, never from the request's Host header.

A request may name any host; a link built from it (a password link in a mail, a feed's ids,
the sitemap, the OpenAPI servers, Open Graph and citation URLs) would then point wherever the
requester liked. Every `url_for(..., _external=True)` gets its scheme and host from PUBLIC_URL
(config.public_url) through the URL adapter. A request for a host the site does not serve
(TRUSTED_HOSTS, config.trusted_hosts) is answered 400 by HostCheck before Flask (whose own check,
in the URL adapter, would leave its error page no adapter to build links with). PUBLIC_URL is
read per request, so a test server may set it once it knows its port.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from urllib.parse import urlsplit

from flask import Flask
from werkzeug.exceptions import SecurityError
from werkzeug.wsgi import get_host

log = logging.getLogger(__name__)


@lru_cache(maxsize=8)
def _scheme_and_host(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


class App(Flask):
    """Flask, with the URL adapter's scheme and host taken from the PUBLIC_URL setting."""

    def create_url_adapter(self, request):
        adapter = super().create_url_adapter(request)
        if adapter is not None and request is not None:
            adapter.url_scheme, adapter.server_name = _scheme_and_host(self.config["PUBLIC_URL"])
        return adapter


class HostCheck:
    """WSGI middleware: 400 for a Host (or trusted X-Forwarded-Host) outside APP's TRUSTED_HOSTS."""

    def __init__(self, app: Flask, wsgi_app):
        self.app, self.wsgi_app = app, wsgi_app

    def __call__(self, environ, start_response):
        try:
            get_host(environ, self.app.config["TRUSTED_HOSTS"])
        except SecurityError as exc:
            log.warning("refused a request for host %r", (environ.get("HTTP_HOST") or "")[:200])
            return exc(environ, start_response)
        return self.wsgi_app(environ, start_response)


def init_app(app: Flask) -> None:
    """Check the host of every request; call before proxy.init_app."""
    app.wsgi_app = HostCheck(app, app.wsgi_app)
