"""The page cache's memory: an LRU of whole responses bounded by their total size in bytes."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

OVERHEAD = 512  # bytes counted per stored response besides its body and headers


@dataclass
class Stored:
    """A response as its view and blueprint hooks made it, without the per-request headers."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes
    etag: str
    fast: bool = False  # the fast path may answer it: no blueprint after_request hook made its headers
    replay: tuple | None = field(default=None, compare=False, repr=False)  # the fast path's (hooks, status, headers)

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + OVERHEAD


class PageCache:
    """An LRU of Stored responses bounded by total bytes (0 bytes: store nothing)."""

    def __init__(self, max_bytes: int, path_of=None):
        self.max_bytes = max_bytes
        self.bytes = 0
        self._items: OrderedDict[tuple, Stored] = OrderedDict()
        self._lock = threading.Lock()
        self._path_of = path_of  # key -> its path: which paths have pages, known without the version query
        self._paths: dict[str, int] = {}

    def may_hold(self, path: str) -> bool:
        """Whether some page of PATH is kept (any page, without PATH_OF)."""
        return bool(self._items) and (self._path_of is None or path in self._paths)

    def _count(self, key: tuple, step: int) -> None:
        if self._path_of is not None:
            path = self._path_of(key)
            left = self._paths.get(path, 0) + step
            if left:
                self._paths[path] = left
            else:
                del self._paths[path]

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
            else:
                self._count(key, 1)
            self._items[key] = stored
            self.bytes += stored.size
            while self.bytes > self.max_bytes:
                evicted_key, evicted = self._items.popitem(last=False)
                self.bytes -= evicted.size
                self._count(evicted_key, -1)

    def __len__(self) -> int:
        return len(self._items)
