"""Counts over all published entries (facets, regions), kept per process until an entry changes.

Each count is an aggregate over every published entry: tens of milliseconds apiece at 20,000
entries, seven of them per listing page, while they change only when an entry does. Every write
to an entry or its facet rows adds a change-log row in the same transaction, so the site's
version (changes.site_version, which also moves for a change that commits late on PostgreSQL)
tells whether a cached count is still right, at the cost of two primary-key lookups.

Only the newest version's values are kept per database: a value of an older version can never be
asked for again once a request has seen a newer one, and the listing table alone is some 4 MB at
20,000 entries, so keeping the old ones until MAX_CACHED pushed them out held tens of megabytes
per worker after a few publications (bench/load.py's memory).
"""

from __future__ import annotations

import copy
import threading
import weakref
from collections import OrderedDict
from typing import Callable, TypeVar

from sqlmodel import Session

from .changes import site_version

T = TypeVar("T")
MAX_CACHED = 512  # distinct (count, filters) pairs per process; each is a few hundred small tuples

_cache: OrderedDict[tuple, object] = OrderedDict()
_newest: dict[str, tuple] = {}  # database URL -> the version whose values _cache holds
_lock = threading.Lock()
_names: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # engine -> database_name(engine)


def data_version(session: Session) -> tuple:
    """The database and the site's version."""
    return database_name(session.get_bind().engine), site_version(session)


def database_name(engine) -> str:
    """ENGINE's database as the cache names it (its URL), made once per engine."""
    name = _names.get(engine)
    if name is None:
        name = _names[engine] = str(engine.url)
    return name


def cached(session: Session, key: tuple, compute: Callable[[], T], copier: Callable[[T], T] = copy.deepcopy) -> T:
    """COMPUTE()'s value for KEY at the current data version, as COPIER copies it (callers may change
    the copy; a copy that knows the value's shape costs far less than deepcopy)."""
    database, version = data_version(session)
    return cached_at(database, version, key, compute, copier)


def cached_at(database: str, version: tuple, key: tuple, compute: Callable[[], T],
              copier: Callable[[T], T] = copy.deepcopy) -> T:
    """cached() for a caller that knows DATABASE (database_name) and the site's VERSION already
    (a reading request's ETag check read it): no session is needed unless COMPUTE runs."""
    full_key = ((database, version), key)
    with _lock:
        found = _cache.get(full_key)
        if found is not None:
            _cache.move_to_end(full_key)
    if found is None:
        found = compute()
        with _lock:
            _keep_only(*full_key[0])
            _cache[full_key] = found
            while len(_cache) > MAX_CACHED:
                _cache.popitem(last=False)
    return copier(found)


def _keep_only(database: str, version: tuple) -> None:
    """Drop DATABASE's values of any version but VERSION (a request that read an older version
    while another moved on only costs the newer values a recomputation)."""
    if _newest.get(database) == version:
        return
    _newest[database] = version
    for stale in [key for key in _cache if key[0][0] == database and key[0][1] != version]:
        del _cache[stale]
