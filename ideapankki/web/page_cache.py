"""Whole responses for anonymous readers, kept per worker while the data they show is unchanged.

Rendering an entry or search page costs tens of milliseconds (Jinja, queries, more-like-this);
answering from memory costs one version query. A stored response is only ever served for the
same request (method, scheme and host, path, query string, negotiated locale, today's date) at
the same site version:

- the change log's head (every write to an entry or its facet, norm-status or relation rows
  adds a row in the same transaction, see changes.py), plus the number of rows among its last
  LATE_WINDOW ids, so a transaction that took a lower id and committed after a higher one
  (PostgreSQL's sequences) still changes the version;
- the programmes (content/programmes, written only by `ideapankki import`, outside the change
  log): their number and newest `updated_at`;
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
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, request, session

from ..config import DATA_DIR, PACKAGE_DIR, TEMPLATES_DIR, TRANSLATIONS_DIR
from ..models import EntryChange, Programme
from . import ENGINE_KEY, SEARCH_KEY
from .i18n import select_locale

KEY = "ideapankki.page_cache"
LATE_WINDOW = 64  # change-log ids below the head in which a late commit is still noticed
OVERHEAD = 512  # bytes counted per stored response besides its body and headers
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


@dataclass
class Stored:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    etag: str

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + OVERHEAD


class PageCache:
    """An LRU of Stored responses bounded by total bytes (0 bytes: store nothing)."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.bytes = 0
        self._items: OrderedDict[tuple, Stored] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Stored | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple, stored: Stored) -> None:
        if stored.size > self.max_bytes // 4:  # one huge page must not flush everything else
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.bytes -= old.size
            self._items[key] = stored
            self.bytes += stored.size
            while self.bytes > self.max_bytes:
                _key, evicted = self._items.popitem(last=False)
                self.bytes -= evicted.size

    def __len__(self) -> int:
        return len(self._items)


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

_HEAD = sa.select(EntryChange.id).order_by(EntryChange.id.desc()).limit(1).scalar_subquery()
VERSION_QUERY = sa.select(
    _HEAD,
    sa.select(EntryChange.at).where(EntryChange.id == _HEAD).scalar_subquery(),
    sa.select(sa.func.count()).select_from(EntryChange).where(EntryChange.id > _HEAD - LATE_WINDOW).scalar_subquery(),
    sa.select(sa.func.count()).select_from(Programme).scalar_subquery(),
    sa.select(sa.func.max(Programme.updated_at)).scalar_subquery(),
)


def site_version(engine: sa.Engine) -> tuple:
    """The change log's head (id, time, recent rows) and the programmes' (count, newest change)."""
    with engine.connect() as connection:
        return tuple(connection.execute(VERSION_QUERY).one())


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


def _anonymous() -> bool:
    """No user, no remember-me cookie (it would log one in) and no flash waiting to be shown."""
    return ("_user_id" not in session and "_flashes" not in session
            and current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") not in request.cookies)


def _logged_in() -> bool:
    if "_user_id" not in session:
        return False
    from flask_login import current_user

    return current_user.is_authenticated


def uncacheable() -> None:
    """Tell the cache that this response is degraded (e.g. the index failed): do not keep it."""
    g.page_cache_skip = True


def _lookup():
    """Before the view: answer from the cache, or with 304, or remember the key for _store."""
    if request.method not in ("GET", "HEAD") or request.endpoint not in ALLOWED or not _anonymous():
        return None
    version = site_version(current_app.extensions[ENGINE_KEY])
    key = (request.method, request.host_url, request.path, request.query_string, select_locale(),
           date.today().isoformat(), version)
    cache: PageCache = current_app.extensions[KEY]
    found = cache.get(key)
    etag = found.etag if found else _etag(key)
    if found is None and ALLOWED[request.endpoint] and not _index_current(version[0]):
        current_app.extensions[SEARCH_KEY].refresh_if_behind()  # e.g. after an import; never raises
        if not _index_current(version[0]):
            return None  # rendered from a lagging index: neither kept nor given validators
    g.page_cache = "miss"
    g.page_cache_key, g.page_cache_etag = key, etag
    if request.if_none_match.contains_weak(etag):
        g.page_cache = "hit"
        return _validated(Response(status=304), etag)
    if found is not None:
        g.page_cache = "hit"
        return _validated(Response(found.body, found.status, found.headers), etag)
    return None


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
    current_app.extensions[KEY].put(key, Stored(200, headers, response.get_data(), g.page_cache_etag))
    return response


def init_app(app: Flask) -> None:
    """Register last: its after_request then runs first, on the view's own response (before the
    access log, security headers and the session cookie are added, which a hit gets anew)."""
    app.extensions[KEY] = PageCache(int(app.config.get("PAGE_CACHE_MB", 32) * 1024 * 1024))
    app.before_request(_lookup)
    app.after_request(_store)
