"""Public listing of published entries: filters that combine, facet counts, pagination.

Only published entries are ever returned here; every public page lists through this module.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from .models import Entry, EntryMunicipality, EntryType, Municipality, TrialStatus
from . import countcache, db_reads, listing, normstatus
from .listing import PUBLISHED  # the condition every public listing shares
from .reference import THEME_SLUGS
from .search.filters import Facet, Filters  # browse.Filters is the same class

WITH_PLACES = selectinload(Entry.municipality_links)  # cards name the places: one query, not one per card
FILTER_NAMES = ("type", "theme", "region", "municipality", "year", "trial_status", "norm_status", "evidence")


class FilterError(ValueError):
    """A filter value that names nothing (unknown type, theme, municipality…)."""

    def __init__(self, name: str, value: object, message: str):
        self.name, self.value = name, value
        super().__init__(f"{name}: {message}")


@dataclass
class Page:
    entries: list[Entry]
    total: int
    page: int
    per_page: int
    facets: dict[str, Facet]

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def parse_filters(session: Session | None, args: dict[str, str], found: listing.Table | None = None) -> Filters:
    """Validate raw query arguments into Filters, raising FilterError for unknown values.

    Municipality and region codes are checked in SESSION's register, or, given FOUND (the listing
    table, which holds the register), there: a listing needs no query for them."""
    values: dict[str, object] = {}
    for name in FILTER_NAMES:
        raw = args.get(name) or ""  # not stripped: feeds and links reuse the value as sent
        if raw:
            values[name] = raw
    if "type" in values and values["type"] not in {t.value for t in EntryType}:
        raise FilterError("type", values["type"], f"unknown type {values['type']!r}")
    if "trial_status" in values and values["trial_status"] not in {s.value for s in TrialStatus}:
        raise FilterError("trial_status", values["trial_status"], f"unknown trial status {values['trial_status']!r}")
    if "norm_status" in values and values["norm_status"] not in normstatus.STATUSES:
        raise FilterError("norm_status", values["norm_status"], f"unknown norm status {values['norm_status']!r}")
    if "theme" in values and values["theme"] not in THEME_SLUGS:
        raise FilterError("theme", values["theme"], f"unknown theme {values['theme']!r}")
    if "evidence" in values:
        if values["evidence"] not in ("1", "2", "3", "4", "5"):
            raise FilterError("evidence", values["evidence"], f"{values['evidence']!r} is not an evidence level 1–5")
        values["evidence"] = int(values["evidence"])
    if "year" in values:
        if not re.fullmatch(r"[0-9]{4}", values["year"]) or not 1900 <= int(values["year"]) <= 2100:
            raise FilterError("year", values["year"], f"{values['year']!r} is not a year")
        values["year"] = int(values["year"])
    # The codes' shape is checked before they reach SQL (no NUL, no megabyte of text).
    if "municipality" in values and (not re.fullmatch(r"[0-9]{3}", values["municipality"])
                                     or not _known_municipality(session, found, values["municipality"])):
        raise FilterError("municipality", values["municipality"], f"unknown municipality code {values['municipality']!r}")
    if "region" in values and (not re.fullmatch(r"[A-Z0-9]{1,10}", values["region"])
                               or not _known_region(session, found, values["region"])):
        raise FilterError("region", values["region"], f"unknown region code {values['region']!r}")
    return Filters(**values)


def _known_municipality(session: Session | None, found: listing.Table | None, code: str) -> bool:
    if found is not None:
        return code in found.register
    return session.get(Municipality, code) is not None


def _known_region(session: Session | None, found: listing.Table | None, code: str) -> bool:
    if found is not None:
        return code in found.regions  # every region of the register, with entries or not
    return session.exec(select(Municipality.code).where(Municipality.region_code == code).limit(1)).first() is not None


def list_entries(session: Session, filters: Filters, page: int = 1, per_page: int = 20) -> Page:
    """Return one page of published entries matching FILTERS (newest first) with facet counts.

    Order, total and counts come from the listing table (listing.py, built once per site
    version); only the page's entries are read.
    """
    found = listing.table(session)
    ids, total = found.page(filters, page, per_page)
    by_id = {e.id: e for e in session.exec(select(Entry).where(Entry.id.in_(ids)).options(WITH_PLACES))} if ids else {}
    return Page([by_id[i] for i in ids], total, page, per_page, _facets(found, filters))


def list_cards(session: Session, filters: Filters, page: int = 1, per_page: int = 20,
               found: listing.Table | None = None) -> Page:
    """list_entries for a page that shows cards: its entries are listing.Card (the columns a card
    shows, one query), not Entry instances with their municipality rows. FOUND: the listing table
    if the caller has it."""
    found = found or listing.table(session)
    ids, total = found.page(filters, page, per_page)
    return Page(listing.cards(session, ids, found), total, page, per_page, _facets(found, filters))


def facet_counts(session: Session, filters: Filters) -> dict[str, Facet]:
    """Count published entries per facet value; each facet ignores its own filter."""
    return _facets(listing.table(session), filters)


def _facets(found: listing.Table, filters: Filters) -> dict[str, Facet]:
    return {name: Facet(name, counts) for name, counts in found.counts(filters).items()}


class RegisterRow(NamedTuple):
    """A municipality's register row, as the municipality page shows it (models.Municipality's columns)."""

    code: str
    name_fi: str
    name_sv: str
    region_code: str
    region_fi: str
    region_sv: str
    language_ratio: int


_MUNICIPALITY = db_reads.Read(lambda: sa.select(*(getattr(Municipality, name) for name in RegisterRow._fields))
                              .where(Municipality.code == sa.bindparam("code", type_=sa.String)))
_PEERS = db_reads.Read(lambda: sa.select(Municipality.code).where(
    Municipality.region_code == sa.bindparam("region", type_=sa.String),
    Municipality.code != sa.bindparam("code", type_=sa.String),
    Municipality.language_ratio == sa.bindparam("ratio", type_=sa.Integer)))


def municipality(source: Session | db_reads.Pooled, code: str) -> RegisterRow | None:
    """Municipality CODE's register row, or None (a fixed read: a session, or a pooled connection)."""
    rows = _MUNICIPALITY.rows(source, code=code)
    return RegisterRow(*rows[0]) if rows else None


def like_municipality(source: Session | db_reads.Pooled, municipality: Municipality | RegisterRow, limit: int = 6,
                      found: listing.Table | None = None) -> list[listing.Card]:
    """Published entries of municipalities like MUNICIPALITY: the same region and the same language
    (Finnish, Swedish or bilingual, from the register), newest first, its own entries left out.

    Read from the listing table (FOUND, or the session's; its order is newest first, and it has a
    bitset per municipality): the peers' bits ORed, its own cleared, the first LIMIT positions, read
    as cards (what the page shows). As one SQL query of whole entries, SQLite walked the published
    entries newest first against the peers' entries (~3 ms a municipality page at 20,000 entries).

    The register has no population, and no population data ships with the project, so size is not
    compared.
    """
    peers = [row[0] for row in _PEERS.rows(source, region=municipality.region_code, code=municipality.code,
                                           ratio=municipality.language_ratio)]
    found = found or listing.table(source)
    by_place = found.values["municipality"]
    mask = 0
    for code in peers:
        mask |= by_place.get(code, 0)
    mask &= ~by_place.get(municipality.code, 0)
    ids = []
    while mask and len(ids) < limit:
        lowest = mask & -mask
        ids.append(found.ids[lowest.bit_length() - 1])
        mask ^= lowest
    return listing.cards(source, ids, found)  # a card names the entry's municipalities


def get_published(session: Session, slug: str) -> Entry | None:
    """Return the published entry with SLUG, or None (drafts and rejected entries are not public)."""
    return session.exec(select(Entry).where(Entry.slug == slug, PUBLISHED)).first()


def count_by_type(session: Session) -> dict[str, int]:
    """Count published entries per type (every type present, zero included)."""
    counts = dict(listing.table(session).counts(Filters())["type"])
    return {t.value: counts.get(t.value, 0) for t in EntryType}


def latest(session: Session, limit: int = 6) -> list[Entry]:
    """Return the newest published entries by their own date (a practice by its start, listing.NEWEST).

    The order is an expression no index holds (a scan of the published rows, ~50 ms at 20,000 on
    SQLite), so the ids are computed once per site version (countcache) and only the entries read.
    """
    ids = countcache.cached(session, ("latest", limit), lambda: tuple(session.exec(
        select(Entry.id).where(PUBLISHED).order_by(*listing.NEWEST).limit(limit)).all()), copier=tuple)
    by_id = {e.id: e for e in session.exec(select(Entry).where(Entry.id.in_(ids)))} if ids else {}
    return [by_id[i] for i in ids if i in by_id]


def regions(session: Session) -> list[tuple[str, str, str, int]]:
    """List regions as (code, Finnish name, Swedish name, published entry count), by Finnish name."""
    counted = (
        select(Municipality.region_code, sa.func.count(sa.distinct(Entry.id)))
        .join(EntryMunicipality, EntryMunicipality.municipality_code == Municipality.code)
        .join(Entry, Entry.id == EntryMunicipality.entry_id)
        .where(PUBLISHED).group_by(Municipality.region_code)
    )
    names = select(Municipality.region_code, Municipality.region_fi, Municipality.region_sv).distinct()

    def compute() -> list[tuple[str, str, str, int]]:
        counts = dict(session.exec(counted).all())
        return sorted(((c, fi, sv, counts.get(c, 0)) for c, fi, sv in session.exec(names).all()), key=lambda r: r[1])

    return countcache.cached(session, ("regions",), compute, copier=list)
