"""The one module that reaches into Whoosh's private names: the bulk writer, the ranker, plain stored fields.

The bulk writer (bulk.py) fills a posting writer's blocks directly and commits segments written
by forked children; the ranker (vectors.py) reads postings a block at a time and the length
columns as bytes. Whoosh offers no public way to do either at this speed. Every private name
used is reached through a function here, and whoosh-reloaded is pinned to the exact version
this was written against (pyproject.toml, requirements.lock): `problems()` lists what a Whoosh
upgrade changed, and tests/search/test_whoosh_private.py fails naming this module.
"""

from __future__ import annotations

import io
import pickle
import struct
import zlib
from array import array
from typing import Callable, Iterator

import whoosh
from whoosh import columns
from whoosh.codec import whoosh3
from whoosh.filedb import filetables
from whoosh.index import FileIndex
from whoosh.matching.wrappers import FilterMatcher, WrappingMatcher
from whoosh.reading import SegmentReader, TermNotFound
from whoosh.searching import Searcher
from whoosh.system import pack_ushort
from whoosh.writing import SegmentWriter

WRITTEN_FOR = (2, 7, 5)


class HookedSegmentWriter(SegmentWriter):
    """SegmentWriter whose private hooks call methods a subclass may override by public names."""

    def _flush_segment(self):
        self.flush_segment()

    def _merge_segments(self, mergetype, optimize, merge):
        return self.merge_segments(mergetype, optimize, merge)

    def flush_segment(self) -> None:
        super()._flush_segment()

    def merge_segments(self, mergetype, optimize, merge):
        return super()._merge_segments(mergetype, optimize, merge)

    def check_state(self) -> None:
        self._check_state()

    def finalize_segment(self):
        """The finished segment of a writer in a child process, to send to the parent."""
        return self._finalize_segment()

    def commit_segments(self, segments: list) -> None:
        """Commit SEGMENTS (written by other writers) as the index's new table of contents; this
        writer's own segment stays empty."""
        self._close_segment()
        self._commit_toc(segments)
        self._finish()


def index_has_segments(ix) -> bool:
    return bool(ix._segments())


def posting_writer(fieldwriter):
    """The field writer's block posting writer (whoosh3.W3PostingsWriter)."""
    return fieldwriter._postwriter


def append_postings(postwriter, docnums: array, freqs: array, pack: Callable[[int], bytes]) -> None:
    """What add_posting(docnum, freq, pack(freq)) does for each posting, a whole block at a time."""
    limit = postwriter._blocklimit
    for start in range(0, len(docnums), limit):
        if len(postwriter._ids) >= limit:
            postwriter._write_block()
        block = freqs[start:start + limit]
        postwriter._ids.extend(docnums[start:start + limit])
        postwriter._weights.extend(array("f", block))
        postwriter._values.extend([pack(f) for f in block])
        postwriter._maxweight = max(postwriter._maxweight, max(block))


def unfiltered(matcher):
    """MATCHER without the deleted-documents filter SegmentReader.postings wraps around a segment
    that has deletions (the filter hides the block matcher: postings are then read one at a time).
    The inner matcher is rewound, as the filter has already stepped past leading deleted documents;
    its postings include the deleted documents (the caller masks them out)."""
    if type(matcher) is FilterMatcher and matcher._exclude:
        matcher = matcher.child
        matcher.reset()
    return matcher


def reads_blocks(matcher) -> bool:
    """Whether MATCHER is Whoosh 3's block matcher (else: read it posting by posting)."""
    return hasattr(matcher, "_read_ids")


def blocks(matcher) -> Iterator[tuple]:
    """(ids, weights) of each block of a block matcher: per-posting iteration is four times slower."""
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        yield matcher._ids, matcher._weights
        matcher._next_block()


def term_blocks(segment, fieldname: str, text: str) -> list[tuple[int, int, tuple, object]] | None:
    """Every block of the term's postings in SEGMENT, deleted documents included, read with one
    file read: (postings, last docnum, docnums delta-encoded within the block, weights: None for
    all 1.0, a float for all equal, else a tuple). [] when the term is absent; None when SEGMENT
    is not a Whoosh 3 segment (read it through a matcher). The Whoosh 3 matcher reads the same
    bytes with a seek and a dozen small reads per block (its pickles are read from the file)."""
    terms = getattr(segment, "_terms", None)
    if type(terms) is not whoosh3.W3TermsReader:
        return None
    if fieldname not in segment.schema:
        return []
    try:
        info = terms.term_info(fieldname, segment.schema[fieldname].to_bytes(text))
    except TermNotFound:
        return []
    if info.is_inlined():
        ids, weights, _values = info.inlined_postings()
        deltas = tuple(b - a for a, b in zip((0, *ids), ids))
        return [(len(ids), ids[-1], deltas, tuple(weights))] if ids else []
    offset, length = info.extent()
    length = length[0] if isinstance(length, tuple) else length  # W3TermInfo.from_bytes keeps a 1-tuple
    data = terms._postfile.get(offset, length)
    if data[:4] != whoosh3.WHOOSH3_HEADER_MAGIC:
        raise ValueError(f"postings of {fieldname}:{text!r} do not start with a block header")
    found, at = [], 4
    while at < len(data):
        (size,) = _INT.unpack_from(data, at)
        start, end = at + _INT.size, at + _INT.size + abs(size)
        stream = io.BytesIO(data[start:end])
        count, last, _weight, compression, _shortest, _longest = pickle.load(stream)
        body = data[start + stream.tell():end]
        ids, weights, _values = pickle.loads(zlib.decompress(body) if compression else body)
        found.append((count, last, ids, weights))
        at = end
        if size < 0:  # the last block
            break
    return found


_INT = struct.Struct("!i")  # whoosh.system.pack_int


def term_keys(segment, window: int = 1 << 16) -> tuple[Callable[[str], bytes], Iterator[bytes]] | None:
    """Every key of SEGMENT's term table (the field's number, then the term's bytes), and the function
    that gives a field name's keys' prefix; None when SEGMENT is not a Whoosh 3 segment.
    OrderedHashReader.keys reads each key's lengths and bytes with two reads: five times slower.
    The keys are read a window at a time and handed out one by one (the table is ~2 MB at 10,000
    documents: read whole, or its keys listed, it grew a worker's resident size by some 6 MB)."""
    terms = getattr(segment, "_terms", None)
    if type(terms) is not whoosh3.W3TermsReader:
        return None
    fieldmap = dict(terms._fieldmap)

    def prefix(fieldname: str) -> bytes:  # as W3TermsReader._keycoder makes a key: prefix + term bytes
        return pack_ushort(fieldmap.get(fieldname, 65535))
    return prefix, _keys(terms._tindex, window)


def _keys(table, window: int) -> Iterator[bytes]:
    """The keys of a Whoosh hash file's records (key length, value length, key, value), in order."""
    pos, end, unpack, head = table.startofdata, table.endofdata, _LENGTHS.unpack_from, _LENGTHS.size
    need = window
    while pos < end:
        data = table.dbfile.get(pos, min(need, end - pos))
        at, need = 0, window
        while at + head <= len(data):
            keylen, datalen = unpack(data, at)
            if at + head + keylen > len(data):  # the key goes past this window: read on from its record
                need = max(window, head + keylen)
                break
            yield data[at + head:at + head + keylen]
            at += head + keylen + datalen
        if at == 0 and need == window:
            raise ValueError(f"a term table's record at {pos} is cut short")
        pos += at


_LENGTHS = struct.Struct("!ii")  # whoosh.filedb.filetables._lengths


def length_bytes(segment, fieldname: str):
    """The quantised field lengths of SEGMENT's documents, one byte each (raises if none has FIELDNAME)."""
    return segment._perdoc.column_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)


# Stored fields without zlib: each hit's stored document is read for its snippet, and inflating it
# (a body and its tokens, some 4.5 kB) was most of that read; the bytes on disk grow, the memory does not.
PLAIN_STORED = columns.PickleColumn(columns.VarBytesColumn())


class PlainStoredWriter(whoosh3.W3PerDocWriter):
    """W3PerDocWriter whose stored-fields column is PLAIN_STORED (it names its column in two places)."""

    def _create_column(self, fieldname, column):
        super()._create_column(fieldname, PLAIN_STORED if fieldname == "_stored" else column)

    def add_column_value(self, fieldname, columnobj, value):
        super().add_column_value(fieldname, PLAIN_STORED if fieldname == "_stored" else columnobj, value)


class PlainStoredReader(whoosh3.W3PerDocReader):
    """W3PerDocReader of the segments PlainStoredWriter wrote."""

    def stored_fields(self, docnum):
        found = self._cached_reader("_stored", PLAIN_STORED)[docnum]
        return {} if found is None else found


def stored_document(segment, docnum: int) -> dict:
    """The stored fields of SEGMENT's (a SegmentReader's) document DOCNUM, as the segment holds them.

    SegmentReader.stored_fields copies them into a new dict of the names its schema still has, for
    indexes written under an older schema; an index here is rebuilt whenever its layout changes
    (store.is_current), and a page of hits reads twenty documents."""
    return segment._perdoc.stored_fields(docnum)


def latest_generation(searcher) -> int:
    """The newest generation of the index SEARCHER reads (it may read an older one)."""
    return searcher._ix.latest_generation()


def problems() -> list[str]:
    """What the installed Whoosh lacks of the private names this module uses, or its other version."""
    found = []
    if whoosh.__version__ != WRITTEN_FOR:
        found.append(f"whoosh {whoosh.versionstring()} is installed; {__name__} was written for "
                     f"{'.'.join(map(str, WRITTEN_FOR))}")
    wanted = {
        SegmentWriter: ("_flush_segment", "_merge_segments", "_check_state", "_finalize_segment", "_close_segment",
                        "_commit_toc", "_finish"),
        whoosh3.W3FieldWriter: ("_postwriter",),
        whoosh3.W3PostingsWriter: ("_blocklimit", "_ids", "_weights", "_values", "_maxweight", "_write_block",
                                   "_mini_ids", "_mini_weights"),
        FilterMatcher: ("_exclude",),
        WrappingMatcher: ("child",),
        whoosh3.W3LeafMatcher: ("_read_ids", "_read_weights", "_ids", "_weights", "_next_block"),
        whoosh3.W3PerDocReader: ("column_reader", "_cached_reader", "stored_fields"),
        whoosh3.W3PerDocWriter: ("_create_column", "add_column_value", "finish_doc"),
        whoosh3: ("_lenfield", "LENGTHS_COLUMN", "WHOOSH3_HEADER_MAGIC"),
        SegmentReader: ("_perdoc", "_terms"),
        whoosh3.W3TermsReader: ("term_info", "_postfile", "_tindex", "_fieldmap", "_keycoder"),
        filetables.HashReader: ("dbfile", "startofdata", "endofdata"),
        whoosh3.W3TermInfo: ("is_inlined", "inlined_postings", "extent"),
        FileIndex: ("_segments",),
        Searcher: ("_ix",),
    }
    for owner, names in wanted.items():
        for name in names:
            if not _has(owner, name):
                found.append(f"{getattr(owner, '__name__', owner)}.{name} is gone")
    if getattr(getattr(filetables, "_lengths", None), "format", None) != _LENGTHS.format:
        found.append("whoosh.filedb.filetables._lengths (a hash file's key and value lengths) changed")
    return found


def _has(owner, name: str) -> bool:
    """Class attributes, or instance attributes that __init__ or a method assigns (read from the source)."""
    if hasattr(owner, name):
        return True
    import inspect

    try:
        return f"self.{name} =" in inspect.getsource(owner)
    except (OSError, TypeError):
        return False
