"""Searchers that survive concurrent commits and index swaps (one per thread, refreshed per use).

Index files can be damaged from outside (deleted, truncated, overwritten). Whatever a damaged
file raises while it is read becomes IndexUnavailable, naming the generation that failed, so
that the site degrades search alone and SearchIndex can rebuild that generation.
"""

from __future__ import annotations

import os
import threading
import time
from contextlib import contextmanager
from typing import Iterator

import numpy as np

from .neighbours import Lists
from .schema import FACETS
from .store import IndexStore, open_dir
from .vectors import Corpus, SegmentCache, to_int
from .whoosh_private import latest_generation

TRUSTED_AFTER_NS = 2_000_000_000  # a folder's modification time this old can stand for a listing of it


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
        target = self.store.target()
        ix = open_dir(target)
        self._local.generation = target
        self._local.stamp = None
        self._local.searcher = ix.searcher()
        return self._local.searcher

    def _newest(self, searcher) -> bool:
        """Whether SEARCHER reads its folder's newest commit.

        Whoosh finds that out by listing the folder (60-130 µs, before every search and entry
        page). A commit adds a file there, which moves the folder's modification time, so a time
        unchanged since a listing found the searcher current answers for a stat. Only a time at
        least TRUSTED_AFTER_NS old when it was read is kept: file times move in clock ticks of some
        milliseconds, and a commit in the same tick as that read would leave it as it was (git's
        "racy" rule). The stat comes before the listing, so a commit between them fails the listing."""
        try:
            stamp = os.stat(self._local.generation).st_mtime_ns
        except OSError:
            return False  # the folder is gone: reopening says what is wrong
        if stamp == getattr(self._local, "stamp", None):
            return True
        if latest_generation(searcher) != searcher.reader().generation():
            return False
        self._local.stamp = stamp if time.time_ns() - stamp >= TRUSTED_AFTER_NS else None
        return True

    @contextmanager
    def searcher(self) -> Iterator:
        """Yield an up-to-date searcher; reopen once if a concurrent commit removed its files."""
        for attempt in (1, 2):
            try:
                searcher = getattr(self._local, "searcher", None)
                # A new searcher, not Searcher.refresh(): refresh reuses segment readers and
                # misses deletions made by a commit that only deleted.
                if (searcher is None or self._local.generation != self.store.target()
                        or not self._newest(searcher)):
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


class FacetBits:
    """Facet values as bitsets over docnums: Python ints (for filtering: AND of ints), and the same
    bits as one matrix of 64-bit words, a row per value (for counting: AND with the scope's words
    and a popcount for every value at once, in C). A Python popcount per value, or a bincount over
    (document, value) pairs, cost 0.7-0.8 ms a search at 20,000 entries; this about 0.3. A narrow scope
    (most searches) is counted from its documents' rows instead (_by_documents)."""

    def __init__(self, size: int, live: int, masks: dict[str, dict[str, int]]):
        self.size, self.live, self.masks = size, live, masks
        self._words = (size + 63) // 64
        self._values: dict[str, tuple[list[str], int, int]] = {}  # facet -> (values in order, first row, end)
        rows, self._row_values, facet_of_row = [], [], []  # a row's value and its facet's place in FACETS
        for facet, by_value in masks.items():
            values = sorted(by_value)
            self._values[facet] = (values, len(rows), len(rows) + len(values))
            rows += [self.words(by_value[value]) for value in values]
            self._row_values += values
            facet_of_row += [FACETS.index(facet) if facet in FACETS else len(FACETS)] * len(values)
        self._facet_of_row = np.array(facet_of_row, dtype=np.int64)
        self._matrix = np.stack(rows) if rows else np.zeros((0, self._words), np.uint64)
        # The same bits by document (CSR: document d's rows are _rows[_starts[d]:_starts[d + 1]]): a scope of
        # a few hundred documents is counted from their rows (a bincount of a few thousand) instead of
        # ANDing the whole matrix (a search's matches are mostly far fewer than the bank's entries).
        docs = [np.flatnonzero(np.unpackbits(row.view(np.uint8), bitorder="little")[:size]) for row in rows]
        pairs_doc = np.concatenate(docs) if docs else np.zeros(0, np.intp)
        pairs_row = np.repeat(np.arange(len(rows), dtype=np.int32), [len(d) for d in docs])
        order = np.argsort(pairs_doc, kind="stable")
        self._rows = pairs_row[order]
        self._starts = np.concatenate(([0], np.cumsum(np.bincount(pairs_doc, minlength=size)))).astype(np.intp)
        self._sparse_below = size // 10 if len(rows) else 0  # documents in a scope (20,000 entries: equal cost near 1/9)

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

    def words(self, mask: int) -> np.ndarray:
        """MASK as the matrix's 64-bit words (little-endian: bit i of the int is document i)."""
        return np.frombuffer(mask.to_bytes(self._words * 8, "little"), dtype="<u8")

    def count(self, allowed: dict[str, int]) -> dict[str, list[tuple[str, int]]]:
        """Count each facet's values within ALLOWED[facet], most frequent first (ties by value)."""
        by_scope: dict[int, list[str]] = {}  # the facets mostly share one scope: one matrix operation
        for facet in FACETS:
            by_scope.setdefault(id(allowed[facet]), []).append(facet)
        counts = {}
        for facets in by_scope.values():
            mask = allowed[facets[0]]
            scope = self.words(mask)
            spans = [self._values.get(facet, ([], 0, 0)) for facet in facets]
            first, end = min(s[1] for s in spans), max(s[2] for s in spans)
            if mask.bit_count() < self._sparse_below:
                found = self._by_documents(scope)[first:end]
            else:
                # summed as uint32 (a row counts at most 2^32 documents), then widened: an int64 sum of the
                # uint8 popcounts casts every one of them
                found = np.add.reduce(np.bitwise_count(self._matrix[first:end] & scope), axis=1,
                                      dtype=np.uint32).astype(np.int64)
            # One sort for all the scope's facets: by facet, count (descending), then row (values are sorted
            # within a facet: row order is value order); each facet is then a slice.
            present = np.flatnonzero(found)
            facet_ids = self._facet_of_row[present + first]
            order = np.lexsort((present, -found[present], facet_ids))
            present, facet_ids = present[order], facet_ids[order]
            numbers = found[present].tolist()  # ints, in C
            names = [self._row_values[row] for row in (present + first).tolist()]
            for facet in facets:
                place = FACETS.index(facet)
                lo, hi = np.searchsorted(facet_ids, (place, place + 1)).tolist()
                counts[facet] = list(zip(names[lo:hi], numbers[lo:hi]))
        return counts

    def _by_documents(self, scope: np.ndarray) -> np.ndarray:
        """Each row's count of SCOPE's documents (the matrix's words), from the documents' rows."""
        docs = np.flatnonzero(np.unpackbits(scope.view(np.uint8), bitorder="little")[:self.size])
        starts = self._starts[docs]
        lengths = self._starts[docs + 1] - starts
        at = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths) + np.arange(int(lengths.sum()))
        return np.bincount(self._rows[at], minlength=len(self._matrix)).astype(np.int64)

    def value_mask(self, facet: str, value: str) -> int:
        return self.masks.get(facet, {}).get(value, 0)
