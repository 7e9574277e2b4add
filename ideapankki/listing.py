"""The published entries as bitsets per facet value, built once per site version.

A listing page needs its entries in order, their total and seven facet counts, each facet
ignoring its own filter. As SQL that was seven aggregates over every published entry for each
new combination of filters, and an OFFSET scan for a deep page: hundreds of milliseconds for
the long tail of filters and pages that readers and crawlers ask for once. All of it depends
only on the data, so it is computed when the data changes: the first listing after a change
reads the published entries once (three queries) into a Table, kept per process by
countcache under changes.site_version(), and every listing until the next change is AND and
popcount over Python ints plus one query for the page's twenty entries.

Bit i of a set is the i-th published entry in listing order (newest first, then by id), so a
page is a slice of the set bits and needs no sorting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable, NamedTuple

import numpy as np
import sqlalchemy as sa
from sqlmodel import Session, select

from . import countcache, db_reads, listing_cross, listing_days, normstatus
from .models import OWN_DATE, Entry, EntryMunicipality, EntryState, EntryTheme, Municipality

PUBLISHED = Entry.state == EntryState.published.value
YEAR = sa.extract("year", OWN_DATE)  # a practice counts in the year it started, not when it was entered
# "Latest" on the front page: newest by the entry's own date (OWN_DATE), so the 2015–2016 trials
# entered in 2026 are not the newest. Listings and feeds stay in the order entries were published.
NEWEST = (OWN_DATE.desc().nulls_last(), Entry.id.desc())
CARD_COLUMNS = (Entry.id, Entry.slug, Entry.type, Entry.title, Entry.summary, Entry.language, Entry.published_on,
                Entry.period_start, Entry.period_end)
MANY_VALUES = 32  # facets of this many values or more are counted over their pairs (Table.counts)
FACETS = ("type", "theme", "region", "municipality", "year", "trial_status", "norm_status", "evidence")


@dataclass(frozen=True)
class Table:
    """IDS: published entry ids in listing order; VALUES: facet -> value -> bitset of positions."""

    ids: tuple[int, ...]
    values: dict[str, dict[object, int]]
    places: dict[int, tuple["Place", ...]] = field(default_factory=dict)  # entry id -> its municipalities
    register: dict[str, "Place"] = field(default_factory=dict)  # every municipality by code
    regions: dict[str, tuple[str, str]] = field(default_factory=dict)  # region code -> (Finnish, Swedish name)
    # facet -> (its values sorted as str, the positions of their entries grouped by value in that
    # order, and where each value's group starts)
    pairs: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=dict)
    # facet -> its counts over every published entry (what a facet counts when no other facet
    # filters: on every unfiltered page, and for the filtered facet itself on one-filter pages)
    totals: dict[str, list[tuple[object, int]]] = field(default_factory=dict)
    days: tuple = ((), ())  # the cards' dates of every entry (listing_days.build)
    cross: dict = field(default_factory=dict)  # the counts under one filter (listing_cross.build)

    def matching(self, filters, leave_out: str | None = None, active: dict | None = None) -> int:
        """The positions passing every active filter but LEAVE_OUT's (ACTIVE: filters.active())."""
        mask = (1 << len(self.ids)) - 1
        for name, value in (filters.active() if active is None else active).items():
            if name != leave_out:
                mask &= self.values[name].get(value, 0)
        return mask

    def counts(self, filters) -> dict[str, list[tuple[object, int]]]:
        """Per facet, (value, entries) among those passing the other facets' filters, most first.

        A facet of few values is counted by a popcount per value; one of many (municipalities:
        some 300) by numpy over its (entry, value) pairs, which are grouped by value, so a sum per
        group: a popcount of a 20,000-bit int per municipality was a millisecond per page."""
        if not self.pairs:  # a table built without its pairs: a popcount per value
            return self._counted(filters)
        counts, flags = {}, {}  # the facets mostly share one scope: unpacked once
        active = filters.active()
        row = self.cross.get(next(iter(active.items()))) if len(active) == 1 else None
        for name in FACETS:
            if row is not None and name in row:  # the other facets under the one filter: counted at build
                counts[name] = listing_cross.counted(row, self.pairs, name)
                continue
            if name in self.totals and all(other == name for other in active):
                counts[name] = list(self.totals[name])
                continue
            scope = self.matching(filters, leave_out=name, active=active)
            values, positions, starts = self.pairs[name]
            if len(values) < MANY_VALUES:
                counts[name] = self._counted_one(name, scope)
                continue
            in_scope = flags.get(scope)
            if in_scope is None:
                in_scope = flags[scope] = _flags(scope, len(self.ids))
            found = np.add.reduceat(in_scope[positions], starts, dtype=np.int64)
            present = np.flatnonzero(found)
            order = present[np.lexsort((present, -found[present]))]  # values sorted as str: index order
            counts[name] = list(zip(values[order].tolist(), found[order].tolist()))
        counts["year"].sort(key=lambda vn: -vn[0])
        return counts

    def _counted(self, filters) -> dict[str, list[tuple[object, int]]]:
        counts = {name: self._counted_one(name, self.matching(filters, leave_out=name)) for name in FACETS}
        counts["year"].sort(key=lambda vn: -vn[0])
        return counts

    def _counted_one(self, name: str, scope: int) -> list[tuple[object, int]]:
        pairs = [(value, (scope & bits).bit_count()) for value, bits in self.values[name].items()]
        return sorted(((v, n) for v, n in pairs if n), key=lambda vn: (-vn[1], str(vn[0])))

    def page(self, filters, page: int, per_page: int) -> tuple[list[int], int]:
        """(ids of PAGE's entries in listing order, how many entries pass FILTERS)."""
        if not filters.active():  # every entry: the page is a slice of the order
            start = (page - 1) * per_page
            return list(self.ids[start:start + per_page]), len(self.ids)
        mask = self.matching(filters)
        total = mask.bit_count()
        start = (page - 1) * per_page
        if not mask or start >= total:
            return [], total
        positions = np.flatnonzero(_flags(mask, len(self.ids)))[start:start + per_page]
        return [self.ids[int(p)] for p in positions], total


class Place(NamedTuple):
    """What a card or a facet link shows of a municipality (labels.municipality_name reads it)."""

    code: str
    name_fi: str
    name_sv: str


@dataclass(frozen=True)
class Card:
    """The columns an entry's card shows, with its places: what a listing reads of each entry,
    not the whole Entry (its texts, details) and its link rows as ORM instances."""

    id: int
    slug: str
    type: str
    title: str
    summary: str
    language: str
    published_on: date | None
    period_start: date | None = None  # a practice's own period: the card shows it, not the day it was published
    period_end: date | None = None
    municipalities: tuple[Place, ...] = ()


def cards(source: Session | db_reads.Pooled, ids: list[int], found: Table | None = None) -> list[Card]:
    """The cards of the published entries among IDS, in IDS' order (one query; places from FOUND,
    the table at the session's data version). SOURCE: a session, or a reading request's pooled
    connection (then FOUND is required)."""
    if not ids:
        return []
    found = found or table(source)
    places = found.places
    dates = listing_days.dates(found.days, ids)
    if dates is None:  # an entry newer than the table: its dates from the row
        rows = {row[0]: row for row in _card_rows(source, ids)}
        return [Card(*rows[i], places.get(i, ())) for i in ids if i in rows]
    rows = {row[0]: row for row in db_reads.rows_for_ids(_TEXTS, source, ids, CARDS_PER_READ)}
    return [Card(*rows[i], *day, places.get(i, ())) for i, day in zip(ids, dates) if i in rows]


CARDS_PER_READ = 20  # a listing page's cards; a longer list (the API's 100) is read in slices of this
_CARDS = db_reads.Read(lambda: sa.select(*CARD_COLUMNS).where(
    PUBLISHED, Entry.id.in_(db_reads.id_params(CARDS_PER_READ))))
_TEXTS = db_reads.Read(lambda: sa.select(*CARD_COLUMNS[:6]).where(  # the dates from the table
    PUBLISHED, Entry.id.in_(db_reads.id_params(CARDS_PER_READ))))


def _card_rows(source: Session | db_reads.Pooled, ids: list[int]) -> list:
    """CARD_COLUMNS of the published entries among IDS, on the DBAPI cursor of the session's
    connection (in its transaction) or of a pooled one (db_reads): SQLAlchemy's execution of the
    IN query cost three times the query."""
    return db_reads.rows_for_ids(_CARDS, source, ids, CARDS_PER_READ)


def table(session: Session) -> Table:
    """The table at the session's data version (built on the first call after a change)."""
    return countcache.cached(session, ("listing",), lambda: _build(session), copier=_same)


def table_at(database: str, version: tuple, session: Callable[[], Session]) -> Table:
    """The table at VERSION of the site's data (a reading request's ETag check read it), the same
    one table() keeps: a listing needs no session, unless the table is built (SESSION() gives one).
    Built from what the session reads, as table() is, and kept under VERSION: should the data be
    newer, the next request's version is newer too, and that one builds it again."""
    return countcache.cached_at(database, version, ("listing",), lambda: _build(session()), copier=_same)


def _same(found: Table) -> Table:
    return found  # frozen and never changed by a caller: no copy


def _build(session: Session) -> Table:
    rows = session.exec(
        select(Entry.id, Entry.type, YEAR, Entry.trial_status, normstatus.latest_status(), Entry.evidence_level,
               Entry.published_on, Entry.period_start, Entry.period_end).where(PUBLISHED).order_by(Entry.published_on.desc().nulls_last(), Entry.id.desc())
    ).all()
    position = {row[0]: i for i, row in enumerate(rows)}
    found: dict[str, dict[object, list[int]]] = {name: {} for name in FACETS}

    def add(name: str, value, entry_id: int) -> None:
        if value is not None:
            found[name].setdefault(value, []).append(position[entry_id])

    for entry_id, type_, year, trial_status, norm_status, evidence, *_dates in rows:
        add("type", type_, entry_id)
        add("year", int(year) if year is not None else None, entry_id)
        add("trial_status", trial_status, entry_id)
        add("norm_status", norm_status, entry_id)
        add("evidence", evidence, entry_id)
    for entry_id, theme in session.exec(
            select(EntryTheme.entry_id, EntryTheme.theme_slug).join(Entry, Entry.id == EntryTheme.entry_id)
            .where(PUBLISHED)).all():
        add("theme", theme, entry_id)
    places: dict[int, list[str]] = {}
    codes: dict[str, str] = {}  # one string per municipality: each row's own copy was ~2 MB a worker
    for entry_id, code, region in session.exec(
            select(EntryMunicipality.entry_id, EntryMunicipality.municipality_code, Municipality.region_code)
            .join(Entry, Entry.id == EntryMunicipality.entry_id)
            .join(Municipality, Municipality.code == EntryMunicipality.municipality_code).where(PUBLISHED)
            .order_by(EntryMunicipality.entry_id, EntryMunicipality.position)).all():
        code = codes.setdefault(code, code)
        add("municipality", code, entry_id)
        add("region", region, entry_id)
        places.setdefault(entry_id, []).append(code)
    register, regions = {}, {}
    for code, name_fi, name_sv, region, region_fi, region_sv in session.exec(select(
            Municipality.code, Municipality.name_fi, Municipality.name_sv, Municipality.region_code,
            Municipality.region_fi, Municipality.region_sv)).all():
        register[code] = Place(code, name_fi, name_sv)
        regions.setdefault(region, (region_fi, region_sv))
    table = Table(tuple(row[0] for row in rows),
                  {name: {value: _bits(positions, len(rows)) for value, positions in by_value.items()}
                   for name, by_value in found.items()},
                  _places(places, register, rows), register, regions,
                  {name: _pairs(by_value) for name, by_value in found.items()},
                  days=listing_days.build([(row[0], *row[6:9]) for row in rows]))
    table.cross.update(listing_cross.build(table.values, table.pairs, lambda bits: _flags(bits, len(rows))))
    everything = (1 << len(rows)) - 1
    table.totals.update({name: table._counted_one(name, everything) for name in FACETS})
    return table


def _places(places: dict[int, list[str]], register: dict[str, Place], rows: list) -> dict[int, tuple[Place, ...]]:
    """Each entry's municipalities as the cards show them, kept in every worker for each data version
    with as few objects as the values allow: the listing's own int of each id as the key (not a
    second one per entry, ~0.6 MB at 20,000 entries) and one tuple per combination of places (most
    entries name one municipality: a few thousand tuples, not one an entry, ~0.8 MB)."""
    own = {row[0]: row[0] for row in rows}
    same: dict[tuple[str, ...], tuple[Place, ...]] = {}
    kept = {}
    for entry_id, codes in places.items():
        key = tuple(codes)
        found = same.get(key)
        if found is None:
            found = same[key] = tuple(register[code] for code in codes)
        kept[own.get(entry_id, entry_id)] = found
    return kept


def _pairs(by_value: dict[object, list[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    values = sorted(by_value, key=str)
    positions = [np.unique(np.asarray(by_value[value], dtype=np.int64)) for value in values]  # an entry once per region
    kept = np.empty(len(values), dtype=object)  # the values themselves (str or int), picked by index
    kept[:] = values
    if not values:
        return kept, np.zeros(0, np.int64), np.zeros(0, np.int64)
    starts = np.cumsum([0] + [len(found) for found in positions[:-1]], dtype=np.int64)
    return kept, np.concatenate(positions), starts


def _flags(mask: int, size: int) -> np.ndarray:
    raw = np.frombuffer(mask.to_bytes((size + 7) // 8, "little"), dtype=np.uint8)
    return np.unpackbits(raw, bitorder="little")[:size].astype(bool)


def _bits(positions: list[int], size: int) -> int:
    flags = np.zeros(size, dtype=bool)
    flags[positions] = True
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")
