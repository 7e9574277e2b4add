"""Searchers that survive concurrent commits and index swaps (one per thread, refreshed per use)."""

from __future__ import annotations

import itertools
import logging
import threading
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from whoosh import index as whoosh_index

from .schema import FACETS
from .store import IndexStore

log = logging.getLogger(__name__)


class IndexUnavailable(RuntimeError):
    """The index cannot be read (missing or damaged); search is degraded until it is rebuilt."""


class Readers:
    """Hands out a refreshed searcher of the current index generation for each use."""

    def __init__(self, store: IndexStore):
        self.store = store
        self._local = threading.local()
        self._facet_cache: dict[tuple, list[dict]] = {}
        self._cache_lock = threading.Lock()

    def _open(self):
        target = self.store.current.resolve()
        ix = whoosh_index.open_dir(str(target))
        self._local.generation = target
        self._local.searcher = ix.searcher()
        return self._local.searcher

    @contextmanager
    def searcher(self) -> Iterator:
        """Yield an up-to-date searcher; reopen once if a concurrent commit removed its files."""
        for attempt in (1, 2):
            try:
                searcher = getattr(self._local, "searcher", None)
                # A new searcher, not Searcher.refresh(): refresh reuses segment readers and
                # misses deletions made by a commit that only deleted.
                if (searcher is None or self._local.generation != self.store.current.resolve()
                        or searcher._ix.latest_generation() != searcher.reader().generation()):
                    if searcher is not None:
                        searcher.close()
                    searcher = self._open()
                break
            except (OSError, whoosh_index.EmptyIndexError, ValueError) as exc:
                self._local.searcher = None
                if attempt == 2:
                    raise IndexUnavailable(str(exc)) from exc
        yield searcher

    def run(self, operation):
        """Call OPERATION(searcher), retrying once with a fresh searcher if files vanished under it."""
        for attempt in (1, 2):
            try:
                with self.searcher() as searcher:
                    return operation(searcher)
            except (OSError, whoosh_index.EmptyIndexError) as exc:
                self._local.searcher = None
                if attempt == 2:
                    raise IndexUnavailable(str(exc)) from exc
        raise AssertionError("unreachable")

    def facet_table(self, searcher) -> list[dict]:
        """Return each document's facet values by docnum, cached per index generation."""
        reader = searcher.reader()
        key = (str(self._local.generation), reader.generation(), reader.doc_count_all())
        table = self._facet_cache.get(key)
        if table is None:
            table = [{} if reader.is_deleted(d) else reader.stored_fields(d)["facets"]
                     for d in range(reader.doc_count_all())]
            with self._cache_lock:
                self._facet_cache = {key: table}
        return table


def count_facets(table: list[dict], docs_per_facet: dict[str, set[int]]) -> dict[str, list[tuple[str, int]]]:
    """Count facet values over the documents allowed for each facet, most frequent first."""
    counts = {}
    for facet in FACETS:
        counter = Counter(itertools.chain.from_iterable(table[d].get(facet, ()) for d in docs_per_facet[facet]))
        counts[facet] = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    return counts
