"""Absolute links from the configured public URL, never from the request's Host header.

A request may name any host; a link built from it (a password link in a mail, a feed's ids,
the sitemap, the OpenAPI servers, Open Graph and citation URLs) would then point wherever the
requester liked. Every `url_for(..., _external=True)` gets its scheme and host from PUBLIC_URL
(config.public_url) through the URL adapter. A request for a host the site does not serve
(TRUSTED_HOSTS, config.trusted_hosts) is answered 400 by HostCheck before Flask (whose own check,
in the URL adapter, would leave its error page no adapter to build links with). PUBLIC_URL is
read per request, so a test server may set it once it knows its port.

App.url_for remembers the URLs it built (URLS_KEPT of them per worker): a page has some forty
links, most the same on every page (the header, the footer, static files), and werkzeug's build
of each cost more than a tenth of an entry page. A URL is a function of the endpoint, the values
and the request's adapter (mount point, public scheme and host), which the key holds; only plain
values (str, int) are kept, and none when url_defaults or url_value_preprocessors could add to them.
App.ensure_sync remembers which hooks and views are coroutine functions instead of asking inspect
for each at every request.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from inspect import iscoroutinefunction
from urllib.parse import urlsplit

from flask import Flask
from flask.globals import _cv_request
from markupsafe import Markup
from werkzeug.exceptions import SecurityError
from werkzeug.routing import MapAdapter
from werkzeug.wsgi import get_host

log = logging.getLogger(__name__)

FUNCTIONS_KEPT = 1024  # hooks and views whose coroutine-ness is remembered
URLS_KEPT = 8192  # per worker: the constant links, and a few hundred entries' own
KEPT_TYPES = frozenset((str, int, Markup, type(None)))  # not bool, float: True == 1 would share a key


@lru_cache(maxsize=8)
def _scheme_and_host(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


class App(Flask):
    """Flask, with the URL adapter's scheme and host taken from the PUBLIC_URL setting, and the URLs it built kept."""

    _urls: dict | None = None

    def url_for(self, endpoint: str, *, _anchor=None, _method=None, _scheme=None, _external=None, **values) -> str:
        context = _cv_request.get(None)
        if (context is None or _anchor is not None or _method is not None or _scheme is not None
                or endpoint[:1] == "." or context.url_adapter is None or self.url_default_functions
                or not KEPT_TYPES.issuperset(map(type, values.values()))):
            return super().url_for(endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme,
                                   _external=_external, **values)
        adapter = context.url_adapter
        key = (endpoint, bool(_external), adapter.script_name, adapter.url_scheme, adapter.server_name,
               adapter.subdomain, *values.items())
        urls = self._urls
        if urls is None:
            urls = self._urls = {}
        url = urls.get(key)
        if url is None:
            url = super().url_for(endpoint, _external=_external, **values)
            if len(urls) >= URLS_KEPT:
                urls.clear()
            urls[key] = url
        return url

    _coroutines: dict | None = None

    def ensure_sync(self, func):
        """Flask's, remembering per function whether it is a coroutine function: Flask asks inspect
        for every hook, teardown and the view, some sixteen times a request, and the answer for a
        registered function does not change."""
        known = self._coroutines
        if known is None:
            known = self._coroutines = {}
        try:
            coroutine = known.get(func)
        except TypeError:  # unhashable: ask every time
            return super().ensure_sync(func)
        if coroutine is None:
            if len(known) >= FUNCTIONS_KEPT:
                known.clear()
            coroutine = known[func] = iscoroutinefunction(func)
        return self.async_to_sync(func) if coroutine else func

    def update_template_context(self, context: dict) -> None:
        """Flask's, the request context looked up once (not the proxy's truth test and then its
        blueprints) and each name's processors read with one lookup: every render passes here."""
        processors = self.template_context_processors
        request_context = _cv_request.get(None)
        names = (None, *reversed(request_context.request.blueprints)) if request_context is not None else (None,)
        given = context.copy()  # what render_template was given wins over any processor's value
        for name in names:
            functions = processors.get(name)  # not [] on the defaultdict: no list left behind per name
            if functions:
                for function in functions:
                    context.update(self.ensure_sync(function)())
        context.update(given)

    def create_url_adapter(self, request):
        """Flask's adapter, its scheme and host the public URL's. Made here for a request when the
        site routes as it does (no SERVER_NAME, no host or subdomain matching, trusted hosts
        set): what Flask checks (the trusted host) is checked, but not what werkzeug's bind would work
        out only for it to be replaced (the request's host made IDNA, its scheme, its subdomain)."""
        config = self.config
        if (request is None or config["SERVER_NAME"] is not None or config["TRUSTED_HOSTS"] is None
                or self.url_map.host_matching or self.subdomain_matching):
            adapter = super().create_url_adapter(request)
            if adapter is not None and request is not None:
                adapter.url_scheme, adapter.server_name = _scheme_and_host(config["PUBLIC_URL"])
            return adapter
        request.trusted_hosts = config["TRUSTED_HOSTS"]
        request.host = get_host(request.environ, request.trusted_hosts)  # SecurityError: Flask's 400
        environ = request.environ
        scheme, host = _scheme_and_host(config["PUBLIC_URL"])
        adapter = MapAdapter(self.url_map, host, _wsgi_string(environ, "SCRIPT_NAME", "/"),
                             self.url_map.default_subdomain or "", _request_scheme(environ),
                             _wsgi_string(environ, "PATH_INFO", "/"), environ["REQUEST_METHOD"],
                             _wsgi_string(environ, "QUERY_STRING", None))
        adapter.url_scheme = scheme  # after: a WebSocket upgrade's adapter matches only WebSocket rules, as before
        return adapter


def _request_scheme(environ) -> str:
    """The scheme werkzeug's bind_to_environ gives the adapter: ws or wss for a WebSocket upgrade."""
    scheme = environ["wsgi.url_scheme"]
    connection = environ.get("HTTP_CONNECTION")
    if (connection and any(v.strip(" \t") == "upgrade" for v in connection.lower().split(","))
            and environ.get("HTTP_UPGRADE", "").lower() == "websocket"):
        return "wss" if scheme == "https" else "ws"
    return scheme


def _wsgi_string(environ, name: str, default):
    """ENVIRON[NAME] as werkzeug's bind_to_environ reads it (latin-1 bytes decoded as UTF-8), or DEFAULT."""
    value = environ.get(name)
    return default if value is None else value.encode("latin1").decode(errors="replace")


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
