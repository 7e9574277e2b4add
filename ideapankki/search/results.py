"""Search as the site, the API and the CLI use it: index hits joined with published entries.

The database has the last word on visibility: a hit whose entry is no longer published (an
index that has not caught up yet) is dropped, so search never shows an unpublished text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, NamedTuple

import sqlalchemy as sa
from sqlmodel import Session, select

from .filters import Facet, Filters
from .. import db_reads
from ..models import Entry, EntryState
from . import Hit, SearchIndex, SearchResponse

MAX_PAGE_SIZE = 100
NEAREST = 5  # entries offered when nothing was found
SPARE = 3  # similar entries asked beyond those shown, in case some were unpublished since the index changed


@dataclass
class ResultPage:
    """One page of search results, with entries in rank order."""

    query: str
    sort: str
    entries: list[Entry]
    hits: dict[int, Hit]
    total: int
    page: int
    per_page: int
    facets: dict[str, Facet]
    suggestion: str | None
    corrected: bool = False  # results are for the suggestion: the query itself found nothing
    nearest: list[Entry] = field(default_factory=list)  # when nothing was found: the nearest entries
    latest: bool = False  # `nearest` are the newest entries: no word even began like an indexed one

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def _entries_in_order(session: Session, ids: list[int]) -> dict[int, Entry]:
    if not ids:
        return {}
    rows = session.exec(select(Entry).where(Entry.id.in_(ids), Entry.state == EntryState.published.value))
    return {e.id: e for e in rows}


def find(session: Session, index: SearchIndex, text: str, filters: Filters, *, sort: str = "relevance",
         page: int = 1, per_page: int = 20, respell: bool = True,
         load: Callable[[Session, list[int]], dict[int, object]] | None = None,
         version: tuple | None = None) -> ResultPage:
    """Search published entries and return one page joined with the database.

    LOAD(session, ids) reads the published entries among IDS by id, for a page that shows less
    than a whole Entry (the pages' cards); by default Entry instances. VERSION: the site's version
    as SESSION has just read it (changes.site_version), if the caller has."""
    index.refresh_if_behind(version)
    response: SearchResponse = index.search(text, filters, sort=sort, page=page, per_page=per_page, respell=respell)
    load = load or _entries_in_order
    by_id = load(session, [h.entry_id for h in response.hits])
    hits = [h for h in response.hits if h.entry_id in by_id]
    facets = {name: Facet(name, counts) for name, counts in response.facets.items()}
    nearest, latest = [], False
    if not response.total and text.strip():  # never an empty page: the entries nearest the words
        ids = index.nearest(text, NEAREST)
        nearest_by_id = load(session, ids)
        nearest = [nearest_by_id[i] for i in ids if i in nearest_by_id]
        latest = not nearest
        if latest:
            nearest = list(session.exec(select(Entry).where(Entry.state == EntryState.published.value)
                                        .order_by(Entry.published_on.desc(), Entry.id.desc()).limit(NEAREST)))
    return ResultPage(text, sort, [by_id[h.entry_id] for h in hits], {h.entry_id: h for h in hits},
                      response.total, page, per_page, facets, response.suggestion, response.corrected, nearest, latest)


class Neighbour(NamedTuple):
    """What an entry page shows of a similar entry: a link with its title, language and type."""

    id: int
    slug: str
    type: str
    title: str
    language: str


def more_like(source, index: SearchIndex, entry: Entry, limit: int = 5, applied: bool = False) -> list[Neighbour]:
    """Published entries most like ENTRY (one unpublished since the index last changed is skipped):
    the five columns the page shows, not five whole entries. SOURCE: a session, or a reading
    request's pooled connection (db_reads.Pooled). APPLIED: the index has applied the site's
    version this page shows (http_cache.index_applied), so the rows it keeps beside the list
    (neighbours.py) are the database's as of that version and are shown as they are; otherwise
    the database says which are still published and what they hold now."""
    if applied:
        rows = index.more_like_shown(entry.id)
        if rows is not None:
            return [Neighbour(*row) for row in rows[:limit]]
    ids = index.more_like(entry.id, limit + SPARE)
    found = {row[0]: Neighbour(*row) for row in db_reads.rows_for_ids(NEIGHBOURS, source, ids, NEIGHBOUR_IDS)}
    return [found[i] for i in ids if i in found][:limit]


def _neighbours_statement():
    """The five columns of the published entries with ids :id0 … (a fixed number of parameters, so
    the statement is compiled once; db_reads runs it on the DBAPI cursor)."""
    table = Entry.__table__
    return (sa.select(table.c.id, table.c.slug, table.c.type, table.c.title, table.c.language)
            .where(table.c.id.in_(db_reads.id_params(NEIGHBOUR_IDS)),
                   table.c.state == EntryState.published.value))


NEIGHBOUR_IDS = 8  # 5 shown + SPARE
NEIGHBOURS = db_reads.Read(_neighbours_statement)


def similar(session: Session, index: SearchIndex, text: str, limit: int = 5) -> list[tuple[Entry, float]]:
    """Published entries whose title or summary resemble TEXT (to avoid duplicate submissions)."""
    index.refresh_if_behind()
    found = index.similar(text, limit)
    by_id = _entries_in_order(session, [i for i, _score in found])
    return [(by_id[i], score) for i, score in found if i in by_id]


def to_json(result: ResultPage, url_for_entry: Callable[[Entry], str]) -> dict:
    """The JSON form shared by GET /api/v1/search and `ideapankki search --json`."""
    return {
        "query": result.query,
        "total": result.total,
        "page": result.page,
        "per_page": result.per_page,
        "results": [
            {
                "slug": e.slug,
                "type": e.type,
                "title": e.title,
                "summary": e.summary,
                "language": e.language,
                "url": url_for_entry(e),
                "highlight": result.hits[e.id].highlight,
                "score": round(result.hits[e.id].score, 4),
            }
            for e in result.entries
        ],
        "facets": {name: [{"value": str(v), "count": n} for v, n in facet.counts] for name, facet in result.facets.items()},
        "suggestion": result.suggestion,
        "corrected": result.corrected,
    }
