"""Similar entries ("more like this"), computed when the index changes and kept beside it.

An entry page shows the published entries most like it. Finding them reads the postings of the
entry's key terms (milliseconds per entry); done per view, every first visit of an entry page paid
for it. So they are computed when the index changes, under the indexer lock:
  - a rebuild computes every entry's list before the new generation is swapped in (forked
    processes from PARALLEL_FROM entries on), so a generation is never current without them;
  - a catch-up recomputes the entries it applied, the entries whose lists named an entry it
    changed or removed, and the new neighbours of what it changed (so a new entry appears beside
    the entries it resembles).
The lists live in neighbours.sqlite inside the generation folder: a new generation starts with its
own, an old one's go with its folder. Reads never write here; an entry with no list yet (none
should be missing) is computed for its view and not kept.
Beside each list are the rows an entry page shows of its entries (id, slug, type, title, language),
from the index's stored fields and its type facet: a page whose reader's index has applied the
site's version shows them without reading the neighbours' rows from the database (results.more_like).
They stay current as the lists do: a catch-up recomputes the lists naming an entry it changed or
removed, so a neighbour's new title is in every list that shows it once the change is applied.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Callable

from whoosh import classify, query as Q

from ..models import EntryType
from . import forked
from .scoring import evaluate
from .store import SIMILAR_DONE, open_dir
from .vectors import Corpus, SegmentCache, top

KEPT = 8  # more than a page shows: an entry unpublished before the next catch-up is skipped, not a gap
KEY_TERMS = 12
FILE = "neighbours.sqlite"
SPREAD_UP_TO = 500  # changed entries; a larger catch-up recomputes only them and the lists naming them
PROGRESS_EVERY = 250
READER_CACHE_KIB = 512  # a reading connection's page cache (the lists' interior pages and the recent leaves)


def key_terms(searcher, corpus: Corpus, docnum: int) -> list[tuple[str, str, float, int]]:
    """Searcher.key_terms(normalize=False), with each term's document frequency: (field, word,
    weight, df). The collection weights come from the per-segment tables
    (vectors.SegmentCache.frequencies): Whoosh looks each of the body's few hundred terms up on disk."""
    fieldname = f"body_{searcher.stored_fields(docnum)['language']}"
    expander = classify.Expander(searcher.reader(), fieldname)  # its Bo1 model: same N and scores
    expander.add_document(docnum)  # the stored body, analysed as the field analyses it
    tables = [corpus.cache.frequencies(segment, sid, fieldname) for segment, _offset, sid in corpus.leaves]
    scored, top_weight = [], 0.0
    for word, weight in expander.topN_weight.items():
        found = [table[word] for table in tables if word in table]  # summed as Whoosh's reader.frequency
        if found:
            score = expander.model.score(weight, sum(w for w, _df in found), expander.top_total)
            top_weight = max(top_weight, score)
            scored.append((score, word, sum(df for _w, df in found)))
    if not top_weight:
        return []
    scored = sorted(((score / top_weight, word, df) for score, word, df in scored), key=lambda x: (0 - x[0], x[1]))
    return [(fieldname, word, weight, df) for weight, word, df in scored[:KEY_TERMS]]


def _similar_docs(searcher, corpus: Corpus, entry_id: int, count: int) -> list[int] | None:
    """Docnums of the live documents most like ENTRY_ID's, best first (None when it is not indexed)."""
    docnum = searcher.document_number(id=str(entry_id))
    if docnum is None:
        return None
    # A key term no other document has (df 1) could only score the entry itself: not read at all.
    shared = [Q.Term(f, word, boost=w) for f, word, w, df in key_terms(searcher, corpus, docnum) if df > 1]
    if not shared:
        return []
    scores, matched = evaluate(corpus, Q.Or(shared))
    matched[docnum] = False
    return top(corpus, scores, matched, count, False)


def similar_ids(searcher, corpus: Corpus, entry_id: int, count: int = KEPT) -> list[int] | None:
    """Ids of the live documents most like ENTRY_ID's, best first (None when it is not indexed)."""
    docs = _similar_docs(searcher, corpus, entry_id, count)
    return None if docs is None else [int(searcher.stored_fields(d)["id"]) for d in docs]


Row = tuple  # (id, slug, type, title, language): what an entry page shows of a similar entry


def similar_rows(searcher, corpus: Corpus, entry_id: int, count: int = KEPT) -> list[Row] | None:
    """similar_ids's entries as rows (id, slug, type, title, language), from their stored fields
    and the type facet; None when ENTRY_ID is not indexed. A row whose title or type the index does
    not hold has its type or title None (the page then reads the database: Lists.shown)."""
    docs = _similar_docs(searcher, corpus, entry_id, count)
    if docs is None:
        return None
    types = [(kind.value, corpus.bits("f_type", kind.value)) for kind in EntryType] if docs else []
    rows = []
    for d in docs:
        stored = searcher.stored_fields(d)
        language = stored.get("language")
        kind = next((value for value, bits in types if bits >> d & 1), None)
        rows.append((int(stored["id"]), stored.get("slug"), kind, stored.get(f"title_{language}"), language))
    return rows


class Lists:
    """The similar-entry lists of one generation folder (an SQLite file; one writer, many readers)."""

    def __init__(self, directory: Path, write: bool = False):
        path = Path(directory) / FILE
        self.connection: sqlite3.Connection | None = None
        if not write:  # a reader opens what is there; a generation without the file has no lists
            try:
                self.connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, check_same_thread=False)
                # A reader's page cache within READER_CACHE_KIB: the shown rows made the file some six times
                # larger, and SQLite's default cache (2 MiB a connection) would fill with pages a worker reads
                # once; a page it misses is read from the system's file cache, shared by the workers.
                self.connection.execute(f"PRAGMA cache_size = -{READER_CACHE_KIB}")
                self.connection.execute("SELECT 1 FROM similar LIMIT 1")
            except sqlite3.Error:
                self.close()
            return
        self.connection = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.executescript(
            "CREATE TABLE IF NOT EXISTS similar (entry INTEGER PRIMARY KEY, ids TEXT NOT NULL, shown TEXT);"
            "CREATE TABLE IF NOT EXISTS mention (other INTEGER, entry INTEGER, PRIMARY KEY (other, entry))"
            " WITHOUT ROWID;"
            "CREATE INDEX IF NOT EXISTS mention_entry ON mention (entry);")

    def get(self, entry_id: int) -> list[int] | None:
        if self.connection is None:
            return None
        row = self.connection.execute("SELECT ids FROM similar WHERE entry = ?", (entry_id,)).fetchone()
        return None if row is None else [int(i) for i in row[0].split()]

    def shown(self, entry_id: int) -> list[list] | None:
        """ENTRY_ID's list as the rows an entry page shows ([id, slug, type, title, language] each),
        or None: no list, or one stored without them (any value missing, an older generation)."""
        if self.connection is None:
            return None
        try:
            row = self.connection.execute("SELECT shown FROM similar WHERE entry = ?", (entry_id,)).fetchone()
        except sqlite3.OperationalError:  # a generation written before the rows were kept
            return None
        return None if row is None or row[0] is None else json.loads(row[0])

    def mentioning(self, ids: set[int]) -> set[int]:
        """The entries whose lists name any of IDS."""
        found: set[int] = set()
        ordered = sorted(ids)
        for start in range(0, len(ordered), 500):
            part = ordered[start:start + 500]
            rows = self.connection.execute(
                f"SELECT entry FROM mention WHERE other IN ({','.join('?' * len(part))})", part)
            found.update(entry for (entry,) in rows)
        return found

    def replace(self, lists: dict[int, list[Row]], removed: set[int] = frozenset()) -> None:
        """Store LISTS (entry → rows, similar_rows) and forget REMOVED's, in one transaction."""
        con = self.connection
        con.execute("BEGIN IMMEDIATE")
        try:
            for entry in [*lists, *removed]:
                con.execute("DELETE FROM mention WHERE entry = ?", (entry,))
                con.execute("DELETE FROM similar WHERE entry = ?", (entry,))
            con.executemany("INSERT INTO similar (entry, ids, shown) VALUES (?, ?, ?)",
                            [(entry, " ".join(str(row[0]) for row in rows), _shown(rows))
                             for entry, rows in lists.items()])
            con.executemany("INSERT OR IGNORE INTO mention (other, entry) VALUES (?, ?)",
                            [(other[0], entry) for entry, rows in lists.items() for other in rows])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def _shown(rows: list[Row]) -> str | None:
    """ROWS as stored for the page, or None when any value is missing (the page reads the database)."""
    if any(value is None for row in rows for value in row):
        return None
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


def refresh(directory: Path, segments: SegmentCache, changed: set[int], removed: set[int]) -> int:
    """After a catch-up applied CHANGED (indexed anew) and REMOVED entries to the index in DIRECTORY,
    recompute the lists that may differ now; return how many were computed."""
    if not changed and not removed:
        return 0
    ix = open_dir(directory)
    lists = Lists(directory, write=True)
    try:
        with ix.searcher() as searcher:
            corpus = Corpus(searcher.reader(), segments)
            new = {eid: found for eid in changed if (found := similar_rows(searcher, corpus, eid)) is not None}
            affected = lists.mentioning(changed | removed)
            if len(changed) <= SPREAD_UP_TO:
                affected.update(row[0] for rows in new.values() for row in rows)
            for eid in affected - new.keys() - removed:
                found = similar_rows(searcher, corpus, eid)
                if found is not None:
                    new[eid] = found
                else:
                    removed = removed | {eid}
            lists.replace(new, removed | (changed - new.keys()))
    finally:
        lists.close()
        ix.close()
    return len(new)


def fill(directory: Path, procs: int = 1, progress: Callable[[int, int], None] | None = None) -> int:
    """Compute every indexed entry's list into DIRECTORY's new generation (before it is swapped in);
    in PROCS forked processes when more than one. Returns the number of lists."""
    ix = open_dir(directory)
    with ix.searcher() as searcher:
        ids = [int(fields["id"]) for _docnum, fields in searcher.reader().iter_docs()]
    ix.close()
    lists = Lists(directory, write=True)
    try:
        if procs > 1 and len(ids) > 1:
            forked.run(ids, procs, lambda share, _turn, done: _compute(directory, share, done=done),
                       lambda _number, found: lists.replace(found), "similar-entries", progress)
        else:
            lists.replace(_compute(directory, ids, progress))
    finally:
        lists.close()
    (Path(directory) / SIMILAR_DONE).touch()
    if progress is not None:
        progress(len(ids), len(ids))
    return len(ids)


def _compute(directory: Path, ids: list[int], progress=None, done=None) -> dict[int, list[Row]]:
    ix = open_dir(directory)
    found: dict[int, list[Row]] = {}
    try:
        with ix.searcher() as searcher:
            corpus = Corpus(searcher.reader(), SegmentCache())
            for number, eid in enumerate(ids, 1):
                found[eid] = similar_rows(searcher, corpus, eid) or []
                if number % PROGRESS_EVERY == 0:
                    if progress is not None:
                        progress(number, len(ids))
                    if done is not None:
                        with done.get_lock():
                            done.value += PROGRESS_EVERY
    finally:
        ix.close()
    return found
