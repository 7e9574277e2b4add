"""A term's postings in one segment as arrays (docnums, term frequencies), for vectors.Corpus.

Whoosh 3 keeps a term's postings as blocks (a pickled info tuple, then the pickle of the block's
delta-encoded docnums and weights: zlib-compressed by default, plain in this index's segments since
LAYOUT 6, schema.PlainStoredCodec). Its matcher reads each block with a seek and
a dozen small reads; whoosh_private.term_blocks reads a term's blocks with one read, and the
docnums are decoded by one cumulative sum: about a third of the time for a common word, which
is what a query with words no earlier search used pays.
"""

from __future__ import annotations

import numpy as np

from .whoosh_private import blocks, reads_blocks, term_blocks, unfiltered

EMPTY = (np.zeros(0, np.int32), np.zeros(0, np.float32))


def read_postings(segment, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """All postings of the term in SEGMENT, deleted documents included (Corpus.live masks them;
    the document frequency counts them, as Whoosh's own does): what is kept is then a function of
    the immutable segment alone, whichever generation's deletions it was first read under."""
    found = term_blocks(segment, fieldname, text)
    if found is None:
        return matcher_postings(segment, fieldname, text)
    if not found:
        return EMPTY
    deltas, weights = [], []
    for count, _last, ids, block_weights in found:
        deltas.extend(ids)
        if block_weights is None:
            weights.extend([1.0] * count)
        elif isinstance(block_weights, float):
            weights.extend([block_weights] * count)
        else:
            weights.extend(block_weights)
    ids = np.array(deltas, np.int64)
    # Each block's docnums are deltas from 0: its first one less the block before's last makes the
    # whole list one run of deltas, decoded by one cumulative sum.
    at = 0
    for count, last, _ids, _weights in found[:-1]:
        at += count
        ids[at] -= last
    return np.cumsum(ids).astype(np.int32), np.array(weights, np.float32)


def matcher_postings(segment, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """read_postings through Whoosh's matcher, for a segment term_blocks cannot read."""
    try:
        matcher = unfiltered(segment.postings(fieldname, text))
    except Exception:  # noqa: BLE001 - TermNotFound and friends: the term is simply absent
        return EMPTY
    if not reads_blocks(matcher):  # not Whoosh 3's block matcher: go posting by posting
        pairs = list(matcher.items_as("weight"))
        return (np.array([i for i, _w in pairs], np.int32), np.array([w for _i, w in pairs], np.float32))
    ids, weights = [], []
    for block_ids, block_weights in blocks(matcher):
        ids.append(np.asarray(block_ids, np.int32))
        weights.append(np.asarray(block_weights, np.float32))
    if not ids:
        return EMPTY
    return np.concatenate(ids), np.concatenate(weights)


def compact(ids: np.ndarray, tf: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The postings in the narrowest exact types: docnums of a segment of at most 65,536 documents
    as uint16, whole term frequencies under 256 as uint8 (3 bytes a posting instead of 8).
    vectors.Corpus.term widens them before any arithmetic, so every score is the same to the bit."""
    if size <= 1 << 16:
        ids = ids.astype(np.uint16)
    if len(tf) and tf.max() < 256 and not np.any(tf % 1):
        tf = tf.astype(np.uint8)
    return ids, tf


def nbytes(postings: tuple[np.ndarray, np.ndarray]) -> int:
    """The bytes POSTINGS' arrays hold: what SegmentCache's budget counts."""
    return postings[0].nbytes + postings[1].nbytes
