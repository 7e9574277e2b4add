"""Counts over all published entries (facets, regions), kept per process until an entry changes.

Each count is an aggregate over every published entry: tens of milliseconds apiece at 20,000
entries, seven of them per listing page, while they change only when an entry does. Every write
to an entry or its facet rows adds a change-log row in the same transaction, so the site's
version (changes.site_version, which also moves for a change that commits late on PostgreSQL)
tells whether a cached count is still right, at the cost of two primary-key lookups.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from typing import Callable, TypeVar

from sqlmodel import Session

from .changes import site_version

T = TypeVar("T")
MAX_CACHED = 512  # distinct (count, filters) pairs per process; each is a few hundred small tuples

_cache: OrderedDict[tuple, object] = OrderedDict()
_lock = threading.Lock()


def data_version(session: Session) -> tuple:
    """The database and the site's version."""
    return str(session.get_bind().engine.url), site_version(session)


def cached(session: Session, key: tuple, compute: Callable[[], T], copier: Callable[[T], T] = copy.deepcopy) -> T:
    """COMPUTE()'s value for KEY at the current data version, as COPIER copies it (callers may change
    the copy; a copy that knows the value's shape costs far less than deepcopy)."""
    full_key = (data_version(session), key)
    with _lock:
        found = _cache.get(full_key)
        if found is not None:
            _cache.move_to_end(full_key)
    if found is None:
        found = compute()
        with _lock:
            _cache[full_key] = found
            while len(_cache) > MAX_CACHED:
                _cache.popitem(last=False)
    return copier(found)
