"""Write a whole new index fast: postings grouped by term, in forked processes.

A rebuild adds some 270 postings a document. Whoosh's writer puts each in one flat list as a
tuple, estimating its size as it goes, and sorts the millions of tuples at commit. Documents
arrive in docnum order, so BulkWriter keeps one list per term instead, already in order, and
sorts only the terms: the same postings, in the same order, for a fraction of the cost.

Whoosh's own MpWriter reads every document in the parent and pickles it to job files for its
children, so reading and pickling run on one core while the children wait. Here each forked
child reads, analyses and indexes its own share of the entries; the parent waits, then commits
one table of contents listing the children's segments. This uses Whoosh's segment-writer
internals (the same ones MpWriter uses), each reached through whoosh_private.py.
"""

from __future__ import annotations

from array import array
from typing import Callable

from whoosh.system import pack_uint

from . import forked
from .analysis import WordByWord
from .schema import WordCounts
from .whoosh_private import HookedSegmentWriter, append_postings, index_has_segments, posting_writer

PROGRESS_EVERY = 50  # documents a child writes between reports to the parent


_PACKED = [pack_uint(i) for i in range(256)]  # Frequency's value: the frequency as 4 bytes


class _TermPool:
    """PostingPool's interface for a writer whose documents come in docnum order, never merged.

    Terms of WordCounts fields keep two arrays (docnums, frequencies): their weight is the
    frequency and their value its packed form, made per block at flush. Other fields' postings
    are kept as Whoosh gives them.
    """

    def __init__(self):
        self.counted: dict[str, dict[bytes, tuple[array, array]]] = {}
        self.other: dict[str, dict[bytes, list]] = {}

    @property
    def fieldnames(self) -> set[str]:
        """Fields with at least one term (Whoosh lists no field that has none)."""
        return {name for pool in (self.counted, self.other) for name, terms in pool.items() if terms}

    def add(self, item) -> None:
        fieldname, tbytes, docnum, weight, vbytes = item
        self.other.setdefault(fieldname, {}).setdefault(tbytes, []).append((docnum, weight, vbytes))

    def cleanup(self) -> None:
        self.counted, self.other = {}, {}

    def write(self, fieldwriter, schema) -> None:
        """Write every posting through FIELDWRITER, in field and term order, a block at a time."""
        for fieldname in sorted(self.fieldnames):
            fieldwriter.start_field(fieldname, schema[fieldname])
            counted, other = self.counted.get(fieldname, {}), self.other.get(fieldname, {})
            if counted:
                postwriter = posting_writer(fieldwriter)
                for tbytes in sorted(counted):
                    fieldwriter.start_term(tbytes)
                    _fill(postwriter, *counted[tbytes])
                    fieldwriter.finish_term()
            for tbytes in sorted(other):
                fieldwriter.start_term(tbytes)
                for docnum, weight, vbytes in other[tbytes]:
                    fieldwriter.add(docnum, weight, vbytes or b"", 0)
                fieldwriter.finish_term()
            fieldwriter.finish_field()


def _fill(postwriter, docnums: array, freqs: array) -> None:
    append_postings(postwriter, docnums, freqs, lambda f: _PACKED[f] if f < 256 else pack_uint(f))


class BulkWriter(HookedSegmentWriter):
    """A writer for a new, empty index (a rebuild): no merges, documents in order.

    add_document does what SegmentWriter's does for this schema (no vectors, no separate
    spelling, no boosts), with the per-word counting of WordCounts fields done in one step.
    """

    def __init__(self, ix, **kwargs):
        if index_has_segments(ix):
            raise ValueError("BulkWriter writes only into an empty index")
        if any(field.vector or field.separate_spelling() for _name, field in ix.schema.items()):
            raise ValueError("BulkWriter does not write term vectors or spelling fields")
        super().__init__(ix, **kwargs)
        self.pool = _TermPool()
        # Fields whose postings are (docnum, frequency): weight = frequency, value = packed frequency.
        self._counted = {name for name, field in self.schema.items()
                         if type(field.format) is WordCounts and field.format.field_boost == 1.0
                         and isinstance(field.analyzer, WordByWord)}

    def flush_segment(self):
        self.perdocwriter.close()
        if self.codec.length_stats:
            raise ValueError("BulkWriter writes no length statistics (use IndexCodec)")
        self.pool.write(self.fieldwriter, self.schema)
        self.fieldwriter.close()

    def merge_segments(self, mergetype, optimize, merge):
        return []

    def add_document(self, **fields):
        self.check_state()
        perdocwriter, schema, docnum, pool = self.perdocwriter, self.schema, self.docnum, self.pool
        perdocwriter.start_doc(docnum)
        for fieldname in sorted(fields):
            value = fields[fieldname]
            if value is None:
                continue
            field = schema[fieldname]
            length = 0
            if field.indexed:
                if fieldname in self._counted and isinstance(value, str):
                    terms = pool.counted.setdefault(fieldname, {})
                    for text, freq in field.analyzer.counts(value).items():
                        length += freq
                        tbytes = text.encode("utf-8")
                        found = terms.get(tbytes)
                        if found is None:
                            found = terms[tbytes] = (array("I"), array("I"))
                        found[0].append(docnum)
                        found[1].append(freq)
                else:
                    for tbytes, freq, weight, vbytes in field.index(value):
                        if field.scorable:
                            length += freq
                        pool.add((fieldname, tbytes, docnum, weight, vbytes))
            perdocwriter.add_field(fieldname, field, value if field.stored else None, length)
            if field.column_type:
                perdocwriter.add_column_value(fieldname, field.column_type, field.to_column_value(value))
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1


def write_segments(ix, items: list, documents: Callable[[list, tuple[int, int]], list[dict]], procs: int,
                   timeout: float, progress: Callable[[int, int], None] | None = None, **writer_args) -> None:
    """Index ITEMS into the empty index IX in PROCS forked processes and commit.

    Child k of n turns its share of ITEMS (say, entry ids) into documents with
    DOCUMENTS(share, (k, n)), so reading and analysis run in parallel too. Raises RuntimeError when a child fails or
    dies; TIMEOUT bounds the wait for Whoosh's write lock, as for any writer. PROGRESS(done, total) is
    called about once a second with the documents the children have written.
    """
    # Take the write lock first, so that no one else writes while the children do.
    writer = BulkWriter(ix, timeout=timeout, **writer_args)
    segments: dict[int, object] = {}

    def write_share(share: list, turn: tuple[int, int], done) -> object:
        """In child k of n (TURN): index the documents of SHARE into a new segment, to send back."""
        share_writer = BulkWriter(ix, _lk=False, **writer_args)
        for number_done, doc in enumerate(documents(share, turn), 1):
            share_writer.add_document(**doc)
            if number_done % PROGRESS_EVERY == 0:
                with done.get_lock():
                    done.value += PROGRESS_EVERY
        return share_writer.finalize_segment()

    try:
        forked.run(items, procs, write_share, segments.__setitem__, "indexing", progress)
    except BaseException:
        writer.cancel()
        raise
    if progress is not None:
        progress(len(items), len(items))
    writer.commit_segments([segments[number] for number in sorted(segments)])
