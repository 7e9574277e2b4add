"""Keep the index a projection of the database: rebuild it, and apply the change log.

Applying is idempotent (update or delete by entry id), so a process that dies between the
database commit and the index commit loses nothing: the next catch-up applies the rows again.
"""

from __future__ import annotations

import logging
import os
import time
from typing import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select
from whoosh.reading import TermNotFound

from ..changes import site_version
from ..models import Entry, EntryChange, EntryMunicipality, EntryState
from . import neighbours
from .forms import add_forms
from .lemmas import learn
from .bulk import PROGRESS_EVERY, BulkWriter, write_segments
from .schema import PlainStoredCodec, document, words_of
from .store import WRITER_TIMEOUT_S, IndexState, IndexStore, open_dir
from .vectors import SegmentCache

log = logging.getLogger(__name__)

# A change id still missing after this long belonged to a transaction that rolled back.
GAP_TIMEOUT_S = 60.0
BATCH = 500
PARALLEL_FROM = 2000  # entries; below this a second process costs more than it saves


def _published(session: Session, ids: list[int] | None = None) -> list[Entry]:
    query = (
        select(Entry)
        .where(Entry.state == EntryState.published.value)
        .options(
            selectinload(Entry.municipality_links).joinedload(EntryMunicipality.municipality),
            selectinload(Entry.theme_links), selectinload(Entry.tag_links), selectinload(Entry.laws),
            selectinload(Entry.norm_events),
        )
        .order_by(Entry.id)
    )
    if ids is not None:
        query = query.where(Entry.id.in_(ids))
    return list(session.exec(query).all())


def rebuild(store: IndexStore, engine: Engine, progress: Callable[[int, int], None] | None = None) -> int:
    """Build a complete index from the database in a new folder, with every entry's similar entries,
    and swap it in; return its size.

    PROGRESS(done, total), when given, hears of the entries indexed (ideapankki.progress draws it)."""
    with store.writing():
        return rebuild_locked(store, engine, progress)


def rebuild_locked(store: IndexStore, engine: Engine, progress: Callable[[int, int], None] | None = None) -> int:
    """rebuild() for a caller that holds the writer lock."""
    directory = store.new_generation()
    with Session(engine) as session:
        # Read the log position first: a change committed meanwhile is applied again later.
        upto = site_version(session)[0] or 0
        ids = list(session.exec(select(Entry.id).where(Entry.state == EntryState.published.value)).all())
    ix = open_dir(directory)
    procs = min(os.cpu_count() or 1, 4) if len(ids) >= PARALLEL_FROM else 1
    report, progress, similar_progress = progress, None, None
    if report is not None:  # one bar for both halves of the work: indexing, then the similar entries
        progress = lambda done, total: report(done, 2 * total)  # noqa: E731
        similar_progress = lambda done, total: report(total + done, 2 * total)  # noqa: E731
    if procs > 1:
        # One forked process per core reads, analyses and indexes its share: one segment each.
        write_segments(ix, ids, lambda share, turn: _documents(engine, store, share, turn), procs,
                       WRITER_TIMEOUT_S, progress, codec=PlainStoredCodec())
    else:
        writer = BulkWriter(ix, timeout=WRITER_TIMEOUT_S, codec=PlainStoredCodec())
        try:
            for done, doc in enumerate(_documents(engine, store, ids), 1):
                writer.add_document(**doc)
                if progress is not None and (done % PROGRESS_EVERY == 0 or done == len(ids)):
                    progress(done, len(ids))
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
    ix.close()
    store.lemmas.refresh()  # the words just learned: analysing the bodies again then rarely needs Voikko
    neighbours.fill(directory, procs, similar_progress)
    store.write_state(IndexState(applied_upto=upto, finnish=store.finnish, indexed_max=max(ids, default=0)), directory)
    store.swap_in(directory)
    log.info("search index rebuilt: %d published entries", len(ids))
    return len(ids)


def _documents(engine: Engine, store: IndexStore, ids: list[int], turn: tuple[int, int] | None = None) -> list[dict]:
    """The index documents of the entries IDS, with Voikko's analyses of their new words learned.

    TURN = (k, n) in forked process k of n (see lemmas.learn).
    """
    if turn is not None:
        engine.dispose(close=False)  # the parent's pooled connections are not this process's to use
    docs = []
    with Session(engine) as session:
        for start in range(0, len(ids), BATCH):
            docs += [document(entry) for entry in _published(session, ids[start:start + BATCH])]
            session.expunge_all()
    learn(set().union(*(words_of(doc) for doc in docs)) if docs else (), store.lemmas, turn or (0, 1))
    add_forms(docs, store.finnish)  # after learning: their words' analyses are then at hand
    return docs


# The change-log rows after a position, each with whether its entry is published now. Built once and
# run on the session's connection: after every write, where the ORM's building and result cost
# more than the query.
_PENDING = (sa.select(EntryChange.id, EntryChange.entry_id, Entry.state == EntryState.published.value)
            .outerjoin(Entry, Entry.id == EntryChange.entry_id)
            .where(EntryChange.id > sa.bindparam("upto")).order_by(EntryChange.id))


def catch_up(store: IndexStore, engine: Engine, timeout: float = WRITER_TIMEOUT_S,
             segments: SegmentCache | None = None) -> int:
    """Apply change-log rows this index has not seen, and the similar entries they change; rebuild
    if the index is missing, outdated or damaged. SEGMENTS, the reading process's postings cache,
    makes the similar entries cheaper to recompute.

    Returns the number of entries updated or removed. Raises TimeoutError when another
    process holds the writer lock longer than TIMEOUT seconds.
    """
    with store.writing(timeout):
        if not store.is_current():
            return rebuild_locked(store, engine)
        problem = store.verify_once()
        if problem is not None:
            log.error("search index is damaged (%s); rebuilding it from the database", problem)
            return rebuild_locked(store, engine)
        state = store.read_state()
        with Session(engine) as session:
            # With each row, whether its entry is published now: only those are loaded whole.
            rows = session.connection().execute(_PENDING, {"upto": state.applied_upto}).all()
            already = set(state.applied_above)
            published = sorted({eid for cid, eid, shown in rows if shown and cid not in already})
            rows = [(cid, eid) for cid, eid, _shown in rows if cid not in already]
            entry_ids = sorted({eid for _cid, eid in rows})
            entries = {e.id: e for e in _published(session, published)} if published else {}
            docs = {eid: document(entry) for eid, entry in entries.items()}
            learn(set().union(*(words_of(doc) for doc in docs.values())) if docs else (), store.lemmas)
            if docs:  # none after a submission: no analyzers to look up
                add_forms(docs.values(), store.finnish)
            # Unpublished now; only those ever added to this generation can have a document to remove
            # (a new submission's id is above them all: the index is not opened for it).
            absent = [eid for eid in entry_ids if eid not in entries
                      and (state.indexed_max is None or eid <= state.indexed_max)]
            if docs and state.indexed_max is not None and max(docs) > state.indexed_max:
                state.indexed_max = max(docs)  # on disk before the documents go in, should this process die
                store.write_state(state)
            if docs or absent:
                ix = store.open()
                gone = _indexed(ix, absent)
                if docs or gone:  # drafts and submissions were never indexed: no index commit for them
                    writer = ix.writer(timeout=WRITER_TIMEOUT_S, codec=PlainStoredCodec())
                    try:
                        for eid in docs:
                            writer.update_document(**docs[eid])
                        for eid in gone:
                            writer.delete_by_term("id", str(eid))
                        writer.commit()
                    except BaseException:
                        writer.cancel()
                        raise
                ix.close()
                if docs or gone:
                    store.lemmas.load()
                    neighbours.refresh(store.current.resolve(), segments or SegmentCache(), set(docs), set(gone))
        if not rows and not state.applied_above:
            return 0  # another process applied them: nothing to record (no gap can expire either)
        _advance(state, {cid for cid, _eid in rows})
        store.write_state(state)
        return len(entry_ids)


def _indexed(ix, entry_ids: list[int]) -> list[int]:
    """Those of ENTRY_IDS that have a live document in the index IX."""
    if not entry_ids:
        return []
    with ix.reader() as reader:
        return [eid for eid in entry_ids if _live(reader, str(eid))]


def _live(reader, key: str) -> bool:
    try:
        return reader.postings("id", key).is_active()  # deleted documents are filtered out
    except TermNotFound:
        return False


def _advance(state: IndexState, applied: set[int], now: float | None = None) -> None:
    """Move applied_upto over every contiguous applied id, remembering gaps for a while."""
    now = time.time() if now is None else now
    seen = set(state.applied_above) | applied
    top = max(seen, default=state.applied_upto)
    upto = state.applied_upto
    gaps = dict(state.gaps)
    for change_id in range(upto + 1, top + 1):
        if change_id in seen:
            seen.discard(change_id)
        elif now - gaps.setdefault(str(change_id), now) <= GAP_TIMEOUT_S:
            break
        gaps.pop(str(change_id), None)
        upto = change_id
    state.applied_upto = upto
    state.applied_above = sorted(i for i in seen if i > upto)
    state.gaps = {k: v for k, v in gaps.items() if int(k) > upto}


def pending(store: IndexStore, engine: Engine) -> int:
    """Count change-log rows this index has not applied (cheap; for health and read-your-writes)."""
    state = store.read_state()
    if state is None:
        return -1
    with Session(engine) as session:
        count = session.exec(
            select(sa.func.count()).select_from(EntryChange).where(EntryChange.id > state.applied_upto)
        ).one()
    return count - len(state.applied_above)


def oldest_pending_at(store: IndexStore, engine: Engine):
    """When the oldest change this index has not applied was written (None when none is pending)."""
    state = store.read_state()
    query = select(sa.func.min(EntryChange.at))
    if state is not None:
        query = query.where(EntryChange.id > state.applied_upto)
        if state.applied_above:
            query = query.where(EntryChange.id.not_in(state.applied_above))
    with Session(engine) as session:
        return session.exec(query).one()
