"""Posting blocks of LAYOUT 6: not compressed, POSTING_BLOCK postings each, read as the zlib'd ones were."""

from __future__ import annotations

import numpy as np
from whoosh import index as whoosh_index

from ideapankki.search.postings import matcher_postings, read_postings
from ideapankki.search.schema import POSTING_BLOCK, IndexCodec, PlainStoredCodec, build_schema
from ideapankki.search.store import open_dir
from ideapankki.search.whoosh_private import term_blocks

DOCS = POSTING_BLOCK + 77  # one full block and a part


def _segment(tmp_path, codec):
    """An index of DOCS documents with 'kunta' in every body (twice in every third), written with CODEC."""
    directory = tmp_path / type(codec).__name__
    directory.mkdir()
    whoosh_index.create_in(str(directory), build_schema("snowball"))
    ix = open_dir(directory)
    writer = ix.writer(codec=codec)
    for i in range(DOCS):
        writer.add_document(id=str(i), language="fi", body_fi="kunta kunta" if i % 3 == 0 else "kunta ja kylä")
    writer.commit()
    reader = ix.reader()
    (segment, _offset), = reader.leaf_readers()
    return ix, segment


def test_new_blocks_are_plain_and_large_and_read_like_compressed_ones(tmp_path):
    ix, plain = _segment(tmp_path, PlainStoredCodec())
    old_ix, zlibbed = _segment(tmp_path, IndexCodec())
    try:
        term = build_schema("snowball")["body_fi"].analyzer("kunta")
        text = next(iter(term)).text
        blocks = term_blocks(plain, "body_fi", text)
        assert [count for count, *_rest in blocks] == [POSTING_BLOCK, DOCS - POSTING_BLOCK]
        assert len(term_blocks(zlibbed, "body_fi", text)) == -(-DOCS // 128)
        matcher = plain.postings("body_fi", text)
        assert matcher._compression == 0  # what Whoosh's own matcher reads in the block header
        ids, weights = read_postings(plain, "body_fi", text)
        old_ids, old_weights = read_postings(zlibbed, "body_fi", text)
        assert np.array_equal(ids, np.arange(DOCS)) and np.array_equal(ids, old_ids)
        assert np.array_equal(weights, old_weights) and set(weights.tolist()) == {1.0, 2.0}
        for segment in (plain, zlibbed):  # Whoosh's matcher (more-like-this, other segments) reads them alike
            m_ids, m_weights = matcher_postings(segment, "body_fi", text)
            assert np.array_equal(m_ids, ids) and np.array_equal(m_weights, weights)
    finally:
        ix.close()
        old_ix.close()
