"""Whole responses for anonymous readers, kept per worker while the data they show is unchanged.

Rendering an entry or search page costs tens of milliseconds (Jinja, queries, more-like-this);
answering from memory costs one version query. A stored response is only ever served for the
same request (method, scheme and host, mount point, path, query string, negotiated locale,
today's date: page_key) at the same site version:

- changes.site_version(), the one every cache asks: the change log's head (every write to an
  entry or its facet, norm-status or relation rows adds a row in the same transaction, and the
  head moves at every such commit, even one that commits late on PostgreSQL) and the programmes
  (written only by `ideapankki import`, outside the change log);
- for pages built from the search index (search, more-like-this, similar titles), nothing is
  stored unless the index had applied the change log up to that head before the page was made:
  a lagging index, or one being healed (503, or an entry page without its similar entries),
  is never kept as current.

The municipality register and theme list change only with a release (a migration loads them
from the package), which restarts the workers and changes CODE_VERSION in the ETag. Pages
whose data the change log does not cover are not cached (ALLOWED lists the ones that are):
the moderation log (a published entry's rejected revision touches no entry row), the open-data
files (send_file answers with their own validators), health, and every page behind a log-in.

Only 200 responses to requests with no user, no remember-me cookie and no pending flash are
kept, and only when the page neither touched the session nor made a CSRF token (per-session
content). Validators: a weak ETag from the key and version answers If-None-Match with 304
without rendering, and `Cache-Control: public, max-age=0, must-revalidate` lets a proxy keep the
page but ask every time. The locale comes from ?lang= (in the key) and the `lang` cookie (so
`Vary: Cookie`); Accept-Language is not read by select_locale, so it is not in Vary.

Two ways in, one key and one answer: a request with no session and no remember-me cookie at all
is answered from here before Flask (fast_path.py: the hooks cost five times the version query);
any other, and every miss, passes through Flask, where _lookup and _store below do the work.
"""

from __future__ import annotations

import hashlib
from datetime import date

from flask import Flask, Response, current_app, g, request, session

from ...config import DATA_DIR, PACKAGE_DIR, TEMPLATES_DIR, TRANSLATIONS_DIR
from ...changes import site_version
from ..database import ENGINE_KEY
from ..index import SEARCH_KEY
from ..i18n import locale_for
from .page_store import PageCache, Stored

KEY = "ideapankki.page_cache"
VERSION = "ideapankki.site_version"  # environ key: the version the fast path read, reused by _lookup
PUBLIC = "public, max-age=0, must-revalidate"
PRIVATE = "private, no-store"
VARY = "Cookie"
_SKIPPED_HEADERS = {"set-cookie", "content-length", "x-request-id", "date"}

# endpoint -> whether the page is built from the search index
ALLOWED = {
    "public.front": False, "public.entries": False, "public.entry": True, "public.municipality": False,
    "public.theme": False, "search.search_page": True, "stats.page": False, "stats.api": False,
    "data.index": False, "accessibility.statement": False, "crawl.sitemap_xml": False, "crawl.robots_txt": False,
    "programmes.index": False, "programmes.programme": False, "programmes.feed": False,
    "programmes_api.index": False, "programmes_api.programme": False,
    "feeds.entries": False, "feeds.by_type": False, "feeds.by_theme": False, "feeds.by_municipality": False,
    "feeds.search": True,
    "api.search": True, "api.similar": True, "api.entries": False, "api.entry": False,
    "api.municipalities": False, "api.themes": False, "api.openapi": False,
}


def _code_version() -> str:
    """A digest of what renders pages (code, templates, translations, reference data): a release
    changes every ETag, so no client or proxy keeps an old page as valid."""
    digest = hashlib.sha256()
    for root, patterns in ((PACKAGE_DIR, ("*.py",)), (TEMPLATES_DIR, ("*.html", "*.xml", "*.txt")),
                           (TRANSLATIONS_DIR, ("*.mo",)), (DATA_DIR, ("*",))):
        for pattern in patterns:
            for path in sorted(root.rglob(pattern)):
                if path.is_file():
                    digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


CODE_VERSION = _code_version()

def _index_current(change_id: int | None) -> bool:
    """Tell whether the search index has applied every change up to CHANGE_ID."""
    state = current_app.extensions[SEARCH_KEY].store.read_state()
    if state is None:
        return False
    missing = (change_id or 0) - state.applied_upto
    if missing <= 0:
        return True
    applied = set(state.applied_above)
    return missing <= len(applied) and all(i in applied for i in range(state.applied_upto + 1, change_id + 1))


def remember_cookie(config) -> str:
    """The name of Flask-Login's remember-me cookie (it would log someone in)."""
    return config.get("REMEMBER_COOKIE_NAME", "remember_token")


def _anonymous() -> bool:
    """No user, no remember-me cookie (it would log one in) and no flash waiting to be shown."""
    return ("_user_id" not in session and "_flashes" not in session
            and remember_cookie(current_app.config) not in request.cookies)


def _logged_in() -> bool:
    if "_user_id" not in session:
        return False
    from flask_login import current_user

    return current_user.is_authenticated


def uncacheable() -> None:
    """Tell the cache that this response is degraded (e.g. the index failed): do not keep it."""
    g.page_cache_skip = True


def page_key(req, config, version: tuple) -> tuple:
    """The key of REQ's response (a Flask or plain Werkzeug request: Flask's hooks and the fast path
    must agree on it). Scheme and host rather than host_url (the same, 20 µs cheaper); the mount
    point (SCRIPT_NAME, e.g. from X-Forwarded-Prefix) because the page's links include it."""
    return (req.method, req.scheme, req.host, req.root_path, req.path, req.query_string,
            locale_for(req.args, req.cookies, config), date.today().isoformat(), version)


def key_path(key: tuple) -> str:
    """The path in a page_key."""
    return key[4]


def answer(req, etag: str, found: Stored | None) -> Response | None:
    """304 if REQ already has ETAG, else the stored response, else None (render it)."""
    if req.if_none_match.contains_weak(etag):
        return _validated(Response(status=304), etag)
    if found is not None:
        return _validated(Response(found.body, found.status, found.headers), etag)
    return None


def _lookup():
    """Before the view: answer from the cache, or with 304, or remember the key for _store."""
    if request.method not in ("GET", "HEAD") or request.endpoint not in ALLOWED or not _anonymous():
        return None
    version = request.environ.get(VERSION)  # read by the fast path moments ago, in this request
    if version is None:
        version = site_version(current_app.extensions[ENGINE_KEY])
    key = page_key(request, current_app.config, version)
    cache: PageCache = current_app.extensions[KEY]
    found = cache.get(key)
    etag = found.etag if found else _etag(key)
    if found is None and ALLOWED[request.endpoint] and not _index_current(version[0]):
        current_app.extensions[SEARCH_KEY].refresh_if_behind()  # e.g. after an import; never raises
        if not _index_current(version[0]):
            return None  # rendered from a lagging index: neither kept nor given validators
    g.page_cache = "miss"
    g.page_cache_key, g.page_cache_etag = key, etag
    response = answer(request, etag, found)
    if response is not None:
        g.page_cache = "hit"
    return response


def _etag(key: tuple) -> str:
    return hashlib.sha256(repr((CODE_VERSION, key)).encode()).hexdigest()[:32]


def _validated(response: Response, etag: str) -> Response:
    response.set_etag(etag, weak=True)  # weak: each worker renders on its own, bytes may differ
    response.headers["Cache-Control"] = PUBLIC
    response.vary.add(VARY)
    return response


def _store(response: Response) -> Response:
    """After the view: keep a cacheable response; mark per-user or per-session answers private."""
    if g.get("page_cache") == "hit":
        return response
    key = g.get("page_cache_key")
    personal = ("Set-Cookie" in response.headers or session.modified
                or current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token") in g or _logged_in())
    if (key is None or personal or response.status_code != 200 or response.is_streamed
            or response.direct_passthrough or g.get("page_cache_skip")):
        g.page_cache = None
        if personal:
            response.headers.setdefault("Cache-Control", PRIVATE)
        elif key is not None:
            response.headers.setdefault("Cache-Control", "no-cache")
        return response
    _validated(response, g.page_cache_etag)
    headers = [(k, v) for k, v in response.headers.items() if k.lower() not in _SKIPPED_HEADERS]
    fast = not any(current_app.after_request_funcs.get(name) for name in request.blueprints)
    current_app.extensions[KEY].put(key, Stored(200, headers, response.get_data(), g.page_cache_etag, fast))
    return response


def init_app(app: Flask) -> None:
    """Register last: its after_request then runs first, on the view's own response (before the
    access log, security headers and the session cookie are added, which a hit gets anew)."""
    app.extensions[KEY] = PageCache(int(app.config.get("PAGE_CACHE_MB", 32) * 1024 * 1024), key_path)
    app.before_request(_lookup)
    app.after_request(_store)
