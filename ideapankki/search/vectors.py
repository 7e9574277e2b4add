"""Match and rank with numpy over Whoosh's postings: BM25F as array arithmetic, not a matcher tree.

Whoosh walks a tree of matchers document by document in Python; a Finnish word becomes a dozen
terms (fields × base forms × compound parts), so a three-word query over common words cost
hundreds of milliseconds. Here each term's postings are read once per *segment* (segments never
change, so the arrays survive commits; only a new small segment is read) and a query is a few
vector operations over all documents. Whoosh stays the index: its postings, lengths and columns.

Scores follow Whoosh's BM25F (same idf, K1, B and length quantisation): a Term scores
boost × bm25; Or and And sum their parts times their boost, And only where every part matches.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict

import numpy as np
from whoosh.util.numeric import byte_to_length

from .membership import SegmentFilter, segment_filter
from .postings import EMPTY as _EMPTY, compact, nbytes as _nbytes, read_postings as _read_postings
from .whoosh_private import length_bytes
from .scoring import evaluate  # noqa: F401 - the query modules import it from here

K1, B = 1.2, 0.75
_BYTE_TO_LENGTH = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)
SEGMENT_BYTES = 12_000_000  # SegmentCache's postings, compacted (3-8 bytes a posting): 1.5-4 M postings
KEPT_BYTES = 12_000_000  # Corpus's BM25 table per generation (6 bytes a posting up to 65,536 documents): 2 M postings
EMPTY_KEYS = 16_384  # SegmentCache's terms a segment lacks: each a key of ~200 bytes, no postings
KEPT_TERMS = 16_384  # most of a query's terms are in no text (Swedish and English fields): kept, they cost a key


class SegmentCache:
    """Postings and per-document columns of immutable segments, shared by all generations."""

    def __init__(self, max_bytes: int = SEGMENT_BYTES):
        self.max_bytes = max_bytes
        self._postings: OrderedDict[tuple, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._held = 0
        # Terms the segment lacks (most of a query's: its Swedish and English fields), found again
        # for a key instead of asking the filter; a table of their own, bounded, as every query's
        # new words would otherwise grow a worker without end.
        self._empty: OrderedDict[tuple, None] = OrderedDict()
        self._columns: dict[tuple, np.ndarray] = {}
        self._bits: dict[tuple, int] = {}  # facet values per segment: few, small, kept until merged away
        self._frequencies: dict[tuple, dict[str, tuple[float, int]]] = {}  # (segment, field) -> term -> (weight, df)
        self._filters: dict[str, SegmentFilter | None] = {}  # each segment's terms (membership.py)
        self._lock = threading.Lock()

    def postings(self, segment, segment_id: str, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(segment-local docnums, term frequencies) of TEXT in FIELDNAME."""
        key = (segment_id, fieldname, text)
        with self._lock:
            for table in (self._postings, self._empty):
                found = table.get(key, table)
                if found is not table:
                    table.move_to_end(key)
                    return _EMPTY if found is None else found
        absent = self._absent(segment, segment_id, fieldname, text)
        found = _EMPTY if absent else compact(*_read_postings(segment, fieldname, text), segment.doc_count_all())
        with self._lock:
            if not len(found[0]):  # kept as a key of its own bounded table: the byte budget never counts it
                self._empty[key] = None
                if len(self._empty) > EMPTY_KEYS:
                    self._empty.popitem(last=False)
                return found
            self._postings[key] = found
            self._held += _nbytes(found)
            while self._held > self.max_bytes and len(self._postings) > 1:
                _key, evicted = self._postings.popitem(last=False)
                self._held -= _nbytes(evicted)
        return found

    def _absent(self, segment, segment_id: str, fieldname: str, text: str) -> bool:
        """Whether the segment surely lacks the term (membership.py: most of a query's terms are in
        no text of the segment, and a filter in memory answers for them without a look-up)."""
        found = self._filters.get(segment_id, self)
        if found is self:
            found = segment_filter(segment)  # once per segment and process; None: not a Whoosh 3 segment
            with self._lock:
                self._filters[segment_id] = found
        return found is not None and found.absent(fieldname, text)

    def column(self, segment, segment_id: str, name: str, read) -> np.ndarray:
        """A per-document array of the segment (field lengths, publication day), read once."""
        key = (segment_id, name)
        array = self._columns.get(key)
        if array is None:
            array = read(segment)
            with self._lock:
                self._columns[key] = array
        return array

    def segment_bits(self, segment, segment_id: str, fieldname: str, text: str) -> int:
        """One segment's documents containing TEXT, as an int bitset over its local docnums."""
        key = (segment_id, "bits", fieldname, text)
        found = self._bits.get(key)
        if found is None:
            flags = np.zeros(segment.doc_count_all(), dtype=bool)
            flags[self.postings(segment, segment_id, fieldname, text)[0]] = True
            found = self._bits[key] = to_int(flags)
        return found

    def frequencies(self, segment, segment_id: str, fieldname: str) -> dict[str, tuple[float, int]]:
        """Each term's (total weight, document frequency) in FIELDNAME over the segment (deleted
        documents included, as Whoosh counts them): one pass over the segment's term table instead
        of a lookup per term."""
        key = (segment_id, fieldname)
        found = self._frequencies.get(key)
        if found is None:
            found = {}
            if fieldname in segment.indexed_field_names():
                decode = segment.schema[fieldname].from_bytes
                found = {decode(text): (info.weight(), info.doc_frequency())
                         for text, info in segment.iter_field(fieldname)}
            with self._lock:
                self._frequencies[key] = found
        return found

    def forget_except(self, segment_ids: set[str]) -> None:
        """Drop the arrays of segments that no longer exist (merged away)."""
        with self._lock:
            for key in [k for k in self._postings if k[0] not in segment_ids]:
                self._held -= _nbytes(self._postings.pop(key))
            for key in [k for k in self._empty if k[0] not in segment_ids]:
                del self._empty[key]
            for key in [k for k in self._columns if k[0] not in segment_ids]:
                del self._columns[key]
            for key in [k for k in self._bits if k[0] not in segment_ids]:
                del self._bits[key]
            for key in [k for k in self._frequencies if k[0] not in segment_ids]:
                del self._frequencies[key]
            for key in [k for k in self._filters if k not in segment_ids]:
                del self._filters[key]


def _lengths(fieldname: str):
    def read(segment) -> np.ndarray:
        size = segment.doc_count_all()
        try:
            column = length_bytes(segment, fieldname)
            raw = np.array(list(column), dtype=np.uint8)
        except Exception:  # noqa: BLE001 - a field no document has: no length column
            raw = np.zeros(size, np.uint8)
        return _BYTE_TO_LENGTH[raw[:size]] if len(raw) >= size else np.zeros(size, np.float32)
    return read


def _numeric_column(fieldname: str):
    def read(segment) -> np.ndarray:
        return np.array(list(segment.column_reader(fieldname)), dtype=np.int64)
    return read


class Corpus:
    """One index generation as arrays over its global docnums."""

    def __init__(self, reader, cache: SegmentCache):
        self.cache = cache
        self.size = reader.doc_count_all()
        self._bind(reader)
        self.live = np.ones(self.size, dtype=bool)
        for segment, offset, _sid in self.leaves:
            if segment.has_deletions():
                kept = np.fromiter(segment.all_doc_ids(), dtype=np.int64)
                self.live[offset:offset + segment.doc_count_all()] = False
                self.live[kept + offset] = True
        self._norms: dict[str, np.ndarray] = {}  # BM25's length part per document, by field (norms)
        self._scores: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}  # bm25, per generation
        self._held = [0]  # bytes in _scores (a list: shared by the bound copies)
        self._columns: dict[str, np.ndarray] = {}

    def _bind(self, reader) -> None:
        self.reader = reader
        self.leaves = [(segment, offset, segment.segment().segment_id()) for segment, offset in reader.leaf_readers()
                       if segment.segment() is not None]  # an empty index has a reader without segments

    def bound(self, reader) -> "Corpus":
        """This generation read through READER (another thread's reader of the same segments)."""
        view = copy.copy(self)  # shares the caches, which hold only arrays
        view._bind(reader)
        return view

    def _concat(self, name: str, read) -> np.ndarray:
        parts = [self.cache.column(seg, sid, name, read) for seg, _off, sid in self.leaves]
        return np.concatenate(parts) if parts else np.zeros(0)

    def term(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(global docnums as int32, term frequencies as float32) of TEXT in FIELDNAME, deleted
        documents included. Not kept: only bm25 asks, and it keeps its own result."""
        ids, tfs = [], []
        for segment, offset, sid in self.leaves:
            local, tf = self.cache.postings(segment, sid, fieldname, text)
            if len(local):
                ids.append(local.astype(np.int32) + offset)  # widened before the offset is added
                tfs.append(tf)
        if not ids:
            return _EMPTY
        if len(ids) == 1:
            return ids[0], tfs[0].astype(np.float32)
        return np.concatenate(ids), np.concatenate(tfs).astype(np.float32)

    def bits(self, fieldname: str, text: str) -> int:
        """The documents containing TEXT in FIELDNAME as an int bitset, deleted ones included.

        Built from per-segment bitsets that are kept across generations, so a commit that adds a
        small segment costs a shift and an OR per value, not a pass over every posting.
        """
        total = 0
        for segment, offset, sid in self.leaves:
            total |= self.cache.segment_bits(segment, sid, fieldname, text) << offset
        return total

    def norms(self, fieldname: str) -> np.ndarray:
        """K1 * ((1 - B) + B * length / average) per document, once per generation: a term gathers it (same bits)."""
        found = self._norms.get(fieldname)
        if found is None:
            lengths = self._concat(f"len:{fieldname}", _lengths(fieldname))
            # the average over the documents that have the field: over all of them (as Whoosh does), a
            # Swedish title is "long" because most entries have none, and Swedish entries rank low
            having = int(np.count_nonzero(lengths))
            avg = ((self.reader.field_length(fieldname) / having) if having else 1.0) or 1.0
            found = self._norms[fieldname] = K1 * ((1 - B) + B * lengths / avg)
        return found

    def bm25(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, BM25 scores) of a term, as Whoosh's BM25F scores it (read-only arrays: they
        depend only on the generation and are kept with it, as the postings are). The docnums are
        uint16 in a corpus of at most 65,536 documents, else int32: index with them as intp."""
        key = (fieldname, text)
        kept = self._scores
        found = kept.pop(key, None)
        if found is None:
            found = self._bm25(fieldname, text)
            # Within KEPT_BYTES (and KEPT_TERMS): a page of common words must not grow a worker by
            # hundreds of megabytes. The least recently used terms go first: emptying the whole table
            # when it filled (every ~215 searches) made the common words of every query scored anew.
            self._held[0] += _nbytes(found)
            while kept and (self._held[0] > KEPT_BYTES or len(kept) >= KEPT_TERMS):
                try:
                    self._held[0] -= _nbytes(kept.pop(next(iter(kept))))
                except (KeyError, RuntimeError, StopIteration):  # another thread's search took it first
                    break
        kept[key] = found  # (again) the newest: a dict keeps its insertion order
        return found

    def _bm25(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        ids, tf = self.term(fieldname, text)
        if not len(ids):
            return ids, tf
        idf = np.log(self.size / (len(ids) + 1)) + 1
        scores = (idf * (tf * (K1 + 1)) / (tf + self.norms(fieldname)[ids])).astype(np.float32)
        if self.size <= 1 << 16:  # kept as uint16 (6 bytes a posting, not 8: a third more terms in KEPT_BYTES);
            ids = ids.astype(np.uint16)  # the scatters index by intp, which they cast to from either type
        ids.flags.writeable = scores.flags.writeable = False  # shared by every search of the generation
        return ids, scores

    @property
    def published(self) -> np.ndarray:
        """Publication day (ordinal) per document, for the newest-first sort."""
        if "published" not in self._columns:
            self._columns["published"] = self._concat("published", _numeric_column("published"))
        return self._columns["published"]


def top(corpus: Corpus, scores: np.ndarray, selected: np.ndarray, count: int, newest: bool) -> list[int]:
    """The COUNT best docnums of SELECTED: by score (ties: lower docnum) or newest first."""
    candidates = np.flatnonzero(selected)
    if not len(candidates) or count <= 0:
        return []
    if newest:
        order = np.lexsort((candidates, -corpus.published[candidates]))[:count]
        return [int(d) for d in candidates[order]]
    values = scores[candidates]
    if len(candidates) > count:
        keep = np.argpartition(-values, count - 1)[:count]
        candidates, values = candidates[keep], values[keep]
    order = np.lexsort((candidates, -values))
    return [int(d) for d in candidates[order]]


def to_int(flags: np.ndarray) -> int:
    """A bool array as a Python int bitset (bit i = document i), for cheap facet counting."""
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


def from_int(mask: int, size: int) -> np.ndarray:
    """A Python int bitset as a bool array of SIZE."""
    raw = np.frombuffer(mask.to_bytes((size + 7) // 8, "little"), dtype=np.uint8)
    return np.unpackbits(raw, bitorder="little")[:size].astype(bool)
