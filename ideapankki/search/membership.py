"""Which terms a segment surely lacks: a Bloom filter over its term table, so absent terms skip the look-up.

A Finnish word becomes a dozen terms and each is looked up in every field it may be in (its Swedish
and English fields too), so most of the terms a worker meets for the first time are in no document
of the segment. Whoosh's term look-up (its on-disk hash table: a hash, a bucket read, a key read and
compare) cost ~13 µs each, some fifty a search of new words. The filter answers "absent" from a few
bits of memory for nearly all of them; only a term it cannot rule out (every present term, and about
one absent term in a hundred) pays the real look-up.

It is built in each process the first time a segment's postings are asked for (segments never change;
a merged-away segment's filter is dropped with its other arrays, vectors.SegmentCache.forget_except),
from the segment's term table read 64 KiB at a time (its keys hashed one by one, none kept: listed
whole, the build grew a worker's resident size by ~6 MB, now < 1 MB): 20-50 ms for a segment of
10,000 entries and ~37,000 terms, whose filter is 64 KiB (a power of two >= 10 bits a term). The bit
positions come from Python's own hash of the term's key, which is fixed within a process (and its
forks): nothing is written to disk, so no index layout depends on it.

It never says absent for a present term: every key of the table sets its bits
(tests/search/test_membership.py checks every term of a real index).
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

from .whoosh_private import term_keys

BITS_PER_TERM = 10  # at least; rounded up to a power of two
PROBES = 7  # bits set and tested per term: ~1 % false "maybe" at 10 bits a term, less when rounded up
_MASK64 = (1 << 64) - 1


class TermFilter:
    """A Bloom filter over byte-string keys: may_have is False only for a key never added."""

    __slots__ = ("_bits", "_mask", "count")

    def __init__(self, keys: Iterable[bytes]):
        hashes = np.fromiter((hash(key) & _MASK64 for key in keys), dtype=np.uint64)
        self.count = len(hashes)
        size = 64
        while size < self.count * BITS_PER_TERM:
            size *= 2
        self._mask = size - 1
        first, step = _halves(hashes)
        flags = np.zeros(size, dtype=bool)
        for probe in range(PROBES):  # (first + probe * step) mod size, as may_have computes it
            flags[(first + np.uint64(probe) * step) & np.uint64(self._mask)] = True
        self._bits = np.packbits(flags, bitorder="little").tobytes()

    @property
    def nbytes(self) -> int:
        return len(self._bits)

    def may_have(self, key: bytes) -> bool:
        """Whether KEY may have been added (False: it surely was not)."""
        h = hash(key) & _MASK64
        first, step = h & 0xFFFFFFFF, (h >> 32) | 1
        bits, mask = self._bits, self._mask
        for probe in range(PROBES):
            at = (first + probe * step) & mask
            if not bits[at >> 3] >> (at & 7) & 1:
                return False
        return True


def _halves(hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each hash's low 32 bits (the first position) and high 32 bits made odd (the step): with a
    power-of-two size an odd step visits PROBES distinct positions."""
    return hashes & np.uint64(0xFFFFFFFF), (hashes >> np.uint64(32)) | np.uint64(1)


def segment_filter(segment) -> "SegmentFilter | None":
    """The filter of SEGMENT's terms, or None when it is not a Whoosh 3 segment (look every term up)."""
    found = term_keys(segment)
    if found is None:
        return None
    prefix, keys = found
    return SegmentFilter(segment.schema, prefix, TermFilter(keys))


class SegmentFilter:
    """A TermFilter answering for (field, term text) pairs of one segment. It holds no reader (it
    outlives the generation that built it): the schema and the segment's field numbers (in PREFIX)."""

    __slots__ = ("_schema", "_prefix", "_fields", "filter")

    def __init__(self, schema, prefix, terms: TermFilter):
        self._schema = schema
        self._prefix = prefix
        self._fields: dict[str, tuple] = {}  # field name -> (its keys' prefix, its to_bytes)
        self.filter = terms

    def absent(self, fieldname: str, text: str) -> bool:
        """Whether the segment surely has no TEXT in FIELDNAME."""
        try:
            found = self._fields.get(fieldname)
            if found is None:
                found = self._fields[fieldname] = (self._prefix(fieldname), self._schema[fieldname].to_bytes)
            key = found[0] + found[1](text)
        except Exception:  # noqa: BLE001 - no such field, or no such value for it: look it up as before
            return False
        return not self.filter.may_have(key)
