"""HTTP validators for anonymous pages: a weak ETag from the site's version, 304 without rendering.

The site keeps no pages in memory. A per-worker page cache, invalidated for every page by any
change anywhere, gained less than 2x on a realistic long-tail mix with an edit a minute
(bench/load.py; the figures are in bench/README.md), so it was removed in favour of the
first visit being fast on its own. What remains is HTTP's own caching: browsers and a reverse
proxy (nginx proxy_cache, docs/operations.md) keep pages and ask whether they are still current.

- The ETag is a digest of the request (page_key: scheme and host, mount point, path,
  query string, negotiated locale, today's date), the site's version (changes.site_version(),
  the one every cache asks: the change log's head, which moves at every commit that changed an
  entry, even one committing late on PostgreSQL, and the programmes) and the code (CODE_VERSION:
  a release changes every ETag). An If-None-Match that matches is answered 304 before the view.
- A page built from the search index gets validators only when the index had applied the change
  log up to that version, and a degraded page (uncacheable()) never gets them: an ETag must not
  vouch for a lagging or partial page.
- Only anonymous readers (no user, no remember-me cookie, no pending flash) of the endpoints in
  ALLOWED, and only 200 responses that neither touched the session nor made a CSRF token, get
  `Cache-Control: public, max-age=0, must-revalidate` and `Vary: Cookie` (the locale comes from
  ?lang= and the `lang` cookie); anything personal is `private, no-store`. Pages whose data the
  change log does not cover (the moderation log, the open-data files, health) get none.
"""

from __future__ import annotations

import hashlib
from datetime import date

from flask import Flask, Response, g
from flask.globals import _cv_app, _cv_request
from werkzeug.http import quote_etag

from ...changes import keep_version, site_version, version_on
from ...config import DATA_DIR, PACKAGE_DIR, TEMPLATES_DIR, TRANSLATIONS_DIR
from ..database import ENGINE_KEY, reads, release_reads
from ..i18n import locale_for
from ..index import SEARCH_KEY

PUBLIC = "public, max-age=0, must-revalidate"
PRIVATE = "private, no-store"
VARY = "Cookie"

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
    """A digest of what renders pages (code, templates, translations, reference data)."""
    digest = hashlib.sha256()
    for root, patterns in ((PACKAGE_DIR, ("*.py",)), (TEMPLATES_DIR, ("*.html", "*.xml", "*.txt")),
                           (TRANSLATIONS_DIR, ("*.mo",)), (DATA_DIR, ("*",))):
        for pattern in patterns:
            for path in sorted(root.rglob(pattern)):
                if path.is_file():
                    digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


CODE_VERSION = _code_version()


def _anonymous(session, cookies, config) -> bool:
    """No user, no remember-me cookie (it would log one in) and no flash waiting to be shown."""
    remember = config.get("REMEMBER_COOKIE_NAME", "remember_token")
    return "_user_id" not in session and "_flashes" not in session and remember not in cookies


def _logged_in(session) -> bool:
    if "_user_id" not in session:
        return False
    from flask_login import current_user

    return current_user.is_authenticated


def uncacheable() -> None:
    """Tell that this response is degraded (e.g. the index failed): no validators for it."""
    g.http_cache_skip = True


def index_applied() -> bool:
    """Whether this request's check found that the search index had applied the site's version it
    read (the condition of a page built from the index for its validators): what the index keeps
    is then the database's as of that version and may be shown as it is (an entry page's similar
    entries, results.more_like). False for a request the check passed by (signed in, a POST)."""
    return _cv_app.get().g.__dict__.get("index_applied", False)


def page_key(req, config, version: tuple) -> tuple:
    """What REQ's page depends on besides the code: the request as the page's links see it
    (scheme, host, mount point, path, query string), the locale, the date and VERSION. Not the
    method: a HEAD carries the validator of the GET it stands for (RFC 9110 9.3.2)."""
    return (req.scheme, req.host, req.root_path, req.path, req.query_string,
            locale_for(req.args, req.cookies, config), date.today().isoformat(), version)


def request_version(session) -> tuple:
    """The site's version for this request, read once: the ETag check's read (an anonymous
    reader's), kept in SESSION, or else SESSION's own read, kept for the request's later asks (the
    index's catch-up, the listing table: changes.site_version's KEEP)."""
    version = g.get("site_version")
    if version is None:
        return site_version(session, keep=True)
    keep_version(session, version)
    return version


def etag(key: tuple) -> str:
    return hashlib.sha256(repr((CODE_VERSION, key)).encode()).hexdigest()[:32]


def _revalidate():
    """Before the view: 304 if the reader's copy is current, else remember the ETag for _mark.
    (Every request passes here: the request context is looked up once, not through a proxy per name.)"""
    context = _cv_request.get()
    request, app = context.request, context.app
    if (request.method not in ("GET", "HEAD") or request.endpoint not in ALLOWED
            or not _anonymous(context.session, request.cookies, app.config)):
        return None
    version = _site_version(app)
    index = app.extensions[SEARCH_KEY]
    from_index = ALLOWED[request.endpoint]
    if from_index and not index.has_applied(version):
        index.refresh_if_behind()  # e.g. after an import; never raises
        if not index.has_applied(version):
            return None  # rendered from a lagging index: no validators
    g = _cv_app.get().g
    g.site_version = version  # the view's search reads it again otherwise (views/search.py)
    if from_index:
        g.index_applied = True  # index_applied()
    tag = g.http_etag = etag(page_key(request, app.config, version))
    if "HTTP_IF_NONE_MATCH" in request.environ and request.if_none_match.contains_weak(tag):
        g.http_cache = "304"
        return _validated(Response(status=304), tag)
    return None


def _site_version(app: Flask) -> tuple:
    """site_version, read on the request's pooled connection for its fixed reads (database.reads,
    given back at the request's end), which the view's reads then use: one pool checkout and
    return a page, not two (about a tenth of a millisecond on SQLite). SQLite's kept connection
    (db_reads.Kept.version) gives the version read last again while nothing was committed (PRAGMA
    data_version). Should the connection fail, it is dropped and site_version reads from the
    engine (and raises SQLAlchemy's error)."""
    try:
        held = reads()
    except Exception:  # noqa: BLE001 - the engine's read below connects again, raising SQLAlchemy's error
        return site_version(app.extensions[ENGINE_KEY])
    try:
        return held.version(version_on)
    except Exception:  # noqa: BLE001 - as site_version does with its own connection
        held.connection.invalidate()
        release_reads()
        return site_version(app.extensions[ENGINE_KEY])


def _validated(response: Response, tag: str) -> Response:
    """The ETag (weak: each worker renders on its own, bytes may differ), Cache-Control and Vary.
    Appended when the response has none of them (a rendered page), as set_etag, item assignment
    and vary.add would append them, without their parsing and lookups; else through those."""
    headers = response.headers
    present = {name.lower() for name in headers.keys()}
    if present.isdisjoint(("etag", "cache-control", "vary")):
        headers.add("ETag", quote_etag(tag, weak=True))
        headers.add("Cache-Control", PUBLIC)
        headers.add("Vary", VARY)
        return response
    response.set_etag(tag, weak=True)
    headers["Cache-Control"] = PUBLIC
    response.vary.add(VARY)
    return response


def _mark(response: Response) -> Response:
    """After the view: validators on a shareable page; private for per-user or per-session answers."""
    context = _cv_request.get()
    g = _cv_app.get().g.__dict__
    if g.get("http_cache") == "304":
        return response
    tag = g.get("http_etag")
    session = context.session
    personal = (any(name.lower() == "set-cookie" for name in response.headers.keys()) or session.modified
                or context.app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token") in g or _logged_in(session))
    if tag is None or personal or response.status_code != 200 or g.get("http_cache_skip"):
        if personal:
            response.headers.setdefault("Cache-Control", PRIVATE)
        elif tag is not None:
            response.headers.setdefault("Cache-Control", "no-cache")
        return response
    g["http_cache"] = "etag"
    return _validated(response, tag)


def init_app(app: Flask) -> None:
    """Register last: its after_request then runs first, on the view's own response."""
    app.before_request(_revalidate)
    app.after_request(_mark)
