"""Searchers that survive concurrent commits and index swaps (one per thread, refreshed per use)."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator

from whoosh import index as whoosh_index
from whoosh.reading import TermNotFound

from .schema import FACETS
from .store import IndexStore


class IndexUnavailable(RuntimeError):
    """The index cannot be read (missing or damaged); search is degraded until it is rebuilt."""


class Readers:
    """Hands out a refreshed searcher of the current index generation for each use."""

    def __init__(self, store: IndexStore):
        self.store = store
        self._local = threading.local()
        self._facet_cache: dict[tuple, FacetBits] = {}
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

    def facet_bits(self, searcher) -> "FacetBits":
        """Return the facet bitsets of the current generation (built once per generation)."""
        reader = searcher.reader()
        key = (str(self._local.generation), reader.generation(), reader.doc_count_all())
        bits = self._facet_cache.get(key)
        if bits is None:
            bits = FacetBits.build(reader)
            with self._cache_lock:
                self._facet_cache = {key: bits}
        return bits


class FacetBits:
    """Facet values as bitsets over docnums: counting is AND plus popcount, in C, not a Python loop.

    The same generation also caches the bitset of each query term it has seen, so matching a
    query is a few big-integer ANDs and ORs once its words have been looked up.
    """

    TERM_CACHE_SIZE = 20_000

    def __init__(self, size: int, live: int, masks: dict[str, dict[str, int]]):
        self.size, self.live, self.masks = size, live, masks
        self.terms: dict[tuple[str, str], int] = {}

    @classmethod
    def build(cls, reader) -> "FacetBits":
        """Read the facet fields' postings (much cheaper than every document's stored fields)."""
        size = reader.doc_count_all()
        live = to_mask(reader.all_doc_ids(), size)
        masks: dict[str, dict[str, int]] = {}
        for facet in FACETS:
            fieldname = f"f_{facet}"
            masks[facet] = {}
            if fieldname not in reader.indexed_field_names():
                continue
            for term in reader.lexicon(fieldname):
                value = term.decode("utf-8") if isinstance(term, bytes) else term
                masks[facet][value] = to_mask(reader.postings(fieldname, term).all_ids(), size) & live
        return cls(size, live, masks)

    def count(self, allowed: dict[str, int]) -> dict[str, list[tuple[str, int]]]:
        """Count each facet's values within ALLOWED[facet], most frequent first."""
        counts = {}
        for facet in FACETS:
            scope = allowed[facet]
            pairs = [(value, (scope & mask).bit_count()) for value, mask in self.masks[facet].items()]
            counts[facet] = sorted(((v, n) for v, n in pairs if n), key=lambda kv: (-kv[1], kv[0]))
        return counts

    def value_mask(self, facet: str, value: str) -> int:
        return self.masks.get(facet, {}).get(value, 0)

    def term_mask(self, reader, fieldname: str, text: str) -> int:
        """The documents containing TEXT in FIELDNAME, as a bitset (cached for this generation)."""
        key = (fieldname, text)
        mask = self.terms.get(key)
        if mask is None:
            try:
                mask = to_mask(reader.postings(fieldname, text).all_ids(), self.size) & self.live
            except (KeyError, ValueError, TermNotFound):
                mask = 0
            if len(self.terms) >= self.TERM_CACHE_SIZE:
                self.terms.clear()
            self.terms[key] = mask
        return mask


def query_mask(searcher, bits: FacetBits, query) -> int:
    """The documents matching QUERY (built of Term, And and Or) as a bitset."""
    from whoosh import query as Q

    if isinstance(query, Q.Term):
        return bits.term_mask(searcher.reader(), query.fieldname, query.text)
    if isinstance(query, Q.And):
        mask = bits.live
        for sub in query.subqueries:
            mask &= query_mask(searcher, bits, sub)
            if not mask:
                break
        return mask
    if isinstance(query, Q.Or):
        mask = 0
        for sub in query.subqueries:
            mask |= query_mask(searcher, bits, sub)
        return mask
    return to_mask(searcher.docs_for_query(query), bits.size)


def to_mask(docnums, size: int) -> int:
    """A bitset (Python int) with the bits of DOCNUMS set."""
    flags = bytearray(size)
    for docnum in docnums:
        flags[docnum] = 1
    # pack eight flags per byte: int.from_bytes of the flag bytes read as a base-256 number would be wrong,
    # so build the bit string directly.
    return int(flags[::-1].translate(_FLAG_TO_ASCII), 2) if size else 0


_FLAG_TO_ASCII = bytes.maketrans(b"\x00\x01", b"01")


def from_mask(mask: int) -> set[int]:
    """The docnums whose bits are set in MASK."""
    bits = bin(mask)[2:][::-1]
    return {i for i, bit in enumerate(bits) if bit == "1"}
