"""Page-cache hits answered before Flask: a WSGI middleware around the Flask app, inside ProxyFix.

A hit through Flask costs about 0.5 ms of request context, session, locale and hooks around a
0.1 ms version query; here it costs the query and little else. It answers only what Flask's
own hit path (page_cache._lookup) would answer, with the same response and access line:

- GET or HEAD with no session cookie and no remember-me cookie at all: no one can be logged in,
  no flash can be waiting. Any other request, and a reader with a session, goes to Flask.
- The key (page_cache.page_key) and the locale (i18n.locale_for) are computed by the functions
  Flask's hooks use; the site version is read on every request, so a write in any worker shows
  at once. Only a stored response (or a 304 for its ETag) is answered; a miss goes to Flask,
  with the version in the environ, which renders and stores it as before.
- The hooks Flask runs around a hit are replayed by the very functions Flask calls (HSTS,
  security headers, the access line with X-Request-Id, the collection between requests), or
  known to do nothing for such a request. An app with any other app-level hook is not answered
  here (a hook added later is never skipped silently), nor is a page whose blueprint has an
  after_request hook (Stored.fast): what it would add to a 304 cannot be known outside Flask.
- Any exception goes to Flask, which then fails (or not) exactly as it did before.
"""

from __future__ import annotations

import logging
import time

from flask import Flask
from flask_login import LoginManager

from ...changes import site_version
from ..database import ENGINE_KEY
from ..request_commit import close_request, commit_request
from . import access_log, collect, page_cache, proxy
from .. import params
from . import security_headers

log = logging.getLogger(__name__)

_REPLAYED = {proxy.add_hsts, security_headers.add_headers}  # after_request: the headers a hit gets
_TEARDOWN = {collect.teardown}  # teardown_request: run after the response is made, as Flask does
# Replaced here (access line, lookup) or doing nothing for a reading request without a session.
_IDLE = {access_log._start, access_log._finish, page_cache._lookup, page_cache._store, commit_request,
         close_request, LoginManager._update_remember_cookie,
         params.refuse_nul}  # a kept page answered 200, so its address has no NUL


def _known(hook, allowed: set) -> bool:
    function = getattr(hook, "__func__", hook)  # Flask-Login registers a bound method
    name = (getattr(function, "__module__", None), getattr(function, "__name__", None))
    return function in allowed or function in _IDLE or name == ("flask_wtf.csrf", "csrf_protect")  # writes only


def _plan(app: Flask) -> tuple[tuple, tuple] | None:
    """The after_request and teardown hooks a hit replays, in Flask's order; None if the app has
    an app-level hook this module does not know."""
    hooks = ((app.before_request_funcs.get(None, ()), set()), (app.after_request_funcs.get(None, ()), _REPLAYED),
             (app.teardown_request_funcs.get(None, ()), _TEARDOWN), (app.teardown_appcontext_funcs, set()))
    if not all(_known(hook, allowed) for funcs, allowed in hooks for hook in funcs):
        return None
    after, teardown = hooks[1][0], hooks[2][0]
    return tuple(f for f in reversed(after) if f in _REPLAYED), tuple(f for f in reversed(teardown) if f in _TEARDOWN)


class FastPath:
    """WSGI middleware: answer page-cache hits of anonymous readers, hand everything else to WSGI_APP."""

    def __init__(self, app: Flask, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app
        self._plan: tuple | None = None
        self._planned = False

    def plan(self) -> tuple[tuple, tuple] | None:
        """_plan(app), worked out once the app has handled a request: Flask then refuses new hooks."""
        if self._planned:
            return self._plan
        plan = _plan(self.app)
        if self.app._got_first_request:
            self._plan, self._planned = plan, True
        return plan

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        hit = None
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            try:
                hit = self._hit(environ)
            except Exception:  # noqa: BLE001 - Flask answers, and fails as it would have
                log.debug("page cache fast path: handing over to Flask", exc_info=True)
        if hit is None:
            return self.wsgi_app(environ, start_response)
        request, status, headers, body, teardown = hit
        request_id = access_log.request_id(request.headers.get(access_log.HEADER))
        headers.append((access_log.HEADER, request_id))  # last, as access_log's hook sets it
        access_log.emit(request_id, request.method, request.path, int(status[:3]), started, None, "hit")
        start_response(status, headers)
        for hook in teardown:
            hook(None)
        return body

    def _hit(self, environ):
        """(request, WSGI status, headers, body, teardown hooks) for a hit, or None."""
        app = self.app
        cache: page_cache.PageCache = app.extensions[page_cache.KEY]
        request = app.request_class(environ)
        if not cache.may_hold(request.path):  # e.g. a static file: no version query
            return None
        cookies, config = request.cookies, app.config
        if config["SESSION_COOKIE_NAME"] in cookies or page_cache.remember_cookie(config) in cookies:
            return None
        plan = self.plan()
        if plan is None:
            return None
        if config["TRUSTED_HOSTS"] is not None:  # as Flask checks the host (SecurityError: Flask answers)
            request.trusted_hosts = config["TRUSTED_HOSTS"]
        version = environ[page_cache.VERSION] = site_version(app.extensions[ENGINE_KEY])
        found = cache.get(page_cache.page_key(request, config, version))
        if found is None or not found.fast:
            return None
        after, teardown = plan
        revalidated = request.if_none_match.contains_weak(found.etag)
        if not revalidated and found.replay is not None and found.replay[0] == after:
            _after, status, headers = found.replay
            return request, status, list(headers), [] if request.method == "HEAD" else [found.body], teardown
        response = page_cache.answer(request, found.etag, found)
        for hook in after:
            response = hook(response)
        body, status, headers = response.get_wsgi_response(environ)
        if not revalidated:  # the same status and headers for every later hit of this page
            found.replay = (after, status, tuple(headers))
        return request, status, headers, body, teardown


def init_app(app: Flask) -> None:
    """Wrap the Flask app's WSGI callable; call before proxy.init_app, whose ProxyFix then fixes
    the environ (scheme, host) before the key is made here."""
    app.wsgi_app = FastPath(app, app.wsgi_app)
