"""Searchers that survive concurrent commits and index swaps (one per thread, refreshed per use).

Index files can be damaged from outside (deleted, truncated, overwritten). Whatever a damaged
file raises while it is read becomes IndexUnavailable, naming the generation that failed, so
that the site degrades search alone and SearchIndex can rebuild that generation.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator

import numpy as np

from .neighbours import Lists
from .schema import FACETS
from .store import IndexStore, open_dir
from .vectors import Corpus, SegmentCache, from_int, to_int
from .whoosh_private import latest_generation


class IndexUnavailable(RuntimeError):
    """The index cannot be read (missing or damaged); search is degraded until it is rebuilt.

    GENERATION is the folder that failed (None when there was none to open).
    """

    def __init__(self, message: str, generation: str | None = None):
        super().__init__(message)
        self.generation = generation


class Readers:
    """Hands out a refreshed searcher of the current index generation for each use."""

    def __init__(self, store: IndexStore):
        self.store = store
        self._local = threading.local()
        self.segments = SegmentCache()
        self._generation: Generation | None = None
        self._cache_lock = threading.Lock()

    def _open(self):
        target = self.store.current.resolve()
        ix = open_dir(target)
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
                        or latest_generation(searcher) != searcher.reader().generation()):
                    if searcher is not None:
                        searcher.close()
                    searcher = self._open()
                break
            except Exception as exc:  # noqa: BLE001 - damaged files raise nearly anything
                self._local.searcher = None
                if attempt == 2:
                    raise self._unavailable(exc) from exc
        yield searcher

    def run(self, operation):
        """Call OPERATION(searcher), retrying once with a fresh searcher if files vanished under it."""
        self.store.lemmas.load()  # once per process: highlights and queries then rarely need Voikko
        for attempt in (1, 2):
            try:
                with self.searcher() as searcher:
                    return operation(searcher)
            except IndexUnavailable:
                raise
            except Exception as exc:  # noqa: BLE001 - a vanished or damaged file; retry once afresh
                self._local.searcher = None
                if attempt == 2:
                    raise self._unavailable(exc) from exc
        raise AssertionError("unreachable")

    def similar_lists(self) -> Lists:
        """This thread's handle on the similar-entry lists of its searcher's generation."""
        generation = self._local.generation
        held = getattr(self._local, "lists", None)
        if held is None or held[0] != generation:
            if held is not None:
                held[1].close()
            held = self._local.lists = (generation, Lists(generation))
        return held[1]

    def _unavailable(self, exc: Exception) -> IndexUnavailable:
        try:
            generation = self.store.current.resolve(strict=True).name
        except OSError:
            generation = None
        return IndexUnavailable(f"{type(exc).__name__}: {exc}", generation)

    def corpus(self, searcher) -> "Generation":
        """Return the arrays and facet bitsets of the current generation (built once per generation)."""
        reader = searcher.reader()
        key = (str(self._local.generation), reader.generation(), reader.doc_count_all())
        view = self._generation
        if view is None or view.key != key:
            self.store.lemmas.refresh()  # words another process indexed, for "did you mean"
            corpus = Corpus(reader, self.segments)
            view = Generation(key, corpus, FacetBits.build(corpus))
            self.segments.forget_except({sid for _seg, _off, sid in corpus.leaves})
            with self._cache_lock:
                self._generation = view
        # Postings are read through this thread's reader: Whoosh's file readers are not shared.
        return Generation(key, view.corpus.bound(reader), view.facets)


class Generation:
    """What one index generation needs for a search: its arrays and its facet bitsets."""

    def __init__(self, key: tuple, corpus: Corpus, facets: "FacetBits"):
        self.key, self.corpus, self.facets = key, corpus, facets


SPARSE = 4  # scopes under a quarter of the documents are counted by bincount over pairs


class FacetBits:
    """Facet values as bitsets over docnums (for filtering: AND of ints), and as (document, value)
    pairs (for counting: one bincount per facet, in C, not a popcount per value in Python)."""

    def __init__(self, size: int, live: int, masks: dict[str, dict[str, int]]):
        self.size, self.live, self.masks = size, live, masks
        self._pairs = {facet: _pairs(by_value, size) for facet, by_value in masks.items()}

    @classmethod
    def build(cls, corpus: Corpus) -> "FacetBits":
        """Read the facet fields' postings (cached per segment, so a new generation costs little)."""
        reader = corpus.reader
        live = to_int(corpus.live)
        masks: dict[str, dict[str, int]] = {}
        for facet in FACETS:
            fieldname = f"f_{facet}"
            masks[facet] = {}
            if fieldname not in reader.indexed_field_names():
                continue
            for term in reader.lexicon(fieldname):
                value = term.decode("utf-8") if isinstance(term, bytes) else term
                mask = corpus.bits(fieldname, value) & live
                if mask:
                    masks[facet][value] = mask
        return cls(corpus.size, live, masks)

    def count(self, allowed: dict[str, int]) -> dict[str, list[tuple[str, int]]]:
        """Count each facet's values within ALLOWED[facet], most frequent first (ties by value)."""
        counts = {}
        flags: dict[int, np.ndarray] = {}  # the facets mostly share one scope: unpacked once
        for facet in FACETS:
            scope = allowed[facet]
            if scope.bit_count() * SPARSE > self.size:  # a wide scope: a popcount per value is cheaper
                pairs = [(value, (scope & mask).bit_count()) for value, mask in self.masks[facet].items()]
                counts[facet] = sorted(((v, n) for v, n in pairs if n), key=lambda kv: (-kv[1], kv[0]))
                continue
            values, documents, value_of = self._pairs[facet]
            in_scope = flags.get(id(scope))
            if in_scope is None:
                in_scope = flags[id(scope)] = from_int(scope, self.size)
            found = np.bincount(value_of[in_scope[documents]], minlength=len(values))
            present = np.flatnonzero(found)
            order = present[np.lexsort((present, -found[present]))]  # values are sorted: index order is value order
            counts[facet] = [(values[i], int(found[i])) for i in order]
        return counts

    def value_mask(self, facet: str, value: str) -> int:
        return self.masks.get(facet, {}).get(value, 0)


def _pairs(by_value: dict[str, int], size: int) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(the values in order, and for each (document, value) pair its document and value index)."""
    values = sorted(by_value)
    documents, value_of = [], []
    for i, value in enumerate(values):
        found = np.flatnonzero(from_int(by_value[value], size))
        documents.append(found)
        value_of.append(np.full(len(found), i, dtype=np.int64))
    if not values:
        return values, np.zeros(0, np.int64), np.zeros(0, np.int64)
    return values, np.concatenate(documents), np.concatenate(value_of)
