"""Public listing of published entries: filters that combine, facet counts, pagination.

Only published entries are ever returned here; every public page lists through this module.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from .models import Entry, EntryMunicipality, EntryState, EntryTheme, EntryType, Municipality, TrialStatus
from . import countcache, normstatus
from .reference import THEME_SLUGS
from .search.filters import Facet, Filters  # browse.Filters is the same class

PUBLISHED = Entry.state == EntryState.published.value
YEAR = sa.extract("year", Entry.published_on)
WITH_PLACES = selectinload(Entry.municipality_links)  # cards name the places: one query, not one per card
FILTER_NAMES = ("type", "theme", "region", "municipality", "year", "trial_status", "norm_status")


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


def parse_filters(session: Session, args: dict[str, str]) -> Filters:
    """Validate raw query arguments into Filters, raising FilterError for unknown values."""
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
    if "year" in values:
        if not re.fullmatch(r"[0-9]{4}", values["year"]) or not 1900 <= int(values["year"]) <= 2100:
            raise FilterError("year", values["year"], f"{values['year']!r} is not a year")
        values["year"] = int(values["year"])
    # The codes' shape is checked before they reach SQL (no NUL, no megabyte of text).
    if "municipality" in values and (not re.fullmatch(r"[0-9]{3}", values["municipality"])
                                     or session.get(Municipality, values["municipality"]) is None):
        raise FilterError("municipality", values["municipality"], f"unknown municipality code {values['municipality']!r}")
    if "region" in values and (not re.fullmatch(r"[A-Z0-9]{1,10}", values["region"]) or not session.exec(
        select(Municipality.code).where(Municipality.region_code == values["region"]).limit(1)
    ).first()):
        raise FilterError("region", values["region"], f"unknown region code {values['region']!r}")
    return Filters(**values)


def _conditions(filters: Filters) -> list:
    conds = [PUBLISHED]
    if filters.type:
        conds.append(Entry.type == filters.type)
    if filters.trial_status:
        conds.append(Entry.trial_status == filters.trial_status)
    if filters.year:
        conds.append(YEAR == filters.year)
    if filters.norm_status:
        conds.append(normstatus.latest_status() == filters.norm_status)
    if filters.theme:
        conds.append(Entry.id.in_(select(EntryTheme.entry_id).where(EntryTheme.theme_slug == filters.theme)))
    if filters.municipality:
        conds.append(Entry.id.in_(
            select(EntryMunicipality.entry_id).where(EntryMunicipality.municipality_code == filters.municipality)))
    if filters.region:
        conds.append(Entry.id.in_(
            select(EntryMunicipality.entry_id)
            .join(Municipality, Municipality.code == EntryMunicipality.municipality_code)
            .where(Municipality.region_code == filters.region)))
    return conds


def list_entries(session: Session, filters: Filters, page: int = 1, per_page: int = 20) -> Page:
    """Return one page of published entries matching FILTERS (newest first) with facet counts."""
    conds = _conditions(filters)
    total = session.exec(select(sa.func.count()).select_from(Entry).where(*conds)).one()
    rows = session.exec(
        select(Entry).where(*conds).options(WITH_PLACES)
        .order_by(Entry.published_on.desc().nulls_last(), Entry.id.desc())
        .offset((page - 1) * per_page).limit(per_page)
    ).all()
    return Page(list(rows), total, page, per_page, facet_counts(session, filters))


def facet_counts(session: Session, filters: Filters) -> dict[str, Facet]:
    """Count published entries per facet value; each facet ignores its own filter.

    Cached until an entry changes (countcache.py): seven aggregates over every entry otherwise.
    """
    return countcache.cached(session, ("facets", filters), lambda: _facet_counts(session, filters))


def _facet_counts(session: Session, filters: Filters) -> dict[str, Facet]:
    def grouped(name: str, key, *joins) -> Facet:
        query = select(key, sa.func.count(sa.distinct(Entry.id))).select_from(Entry)
        for target, on in joins:
            query = query.join(target, on)
        query = query.where(*_conditions(filters.without(name)), key.is_not(None)).group_by(key)
        return Facet(name, sorted(((k, n) for k, n in session.exec(query).all()), key=lambda kn: (-kn[1], str(kn[0]))))

    municipality_join = (EntryMunicipality, EntryMunicipality.entry_id == Entry.id)
    region_join = (Municipality, Municipality.code == EntryMunicipality.municipality_code)
    facets = {
        "type": grouped("type", Entry.type),
        "theme": grouped("theme", EntryTheme.theme_slug, (EntryTheme, EntryTheme.entry_id == Entry.id)),
        "region": grouped("region", Municipality.region_code, municipality_join, region_join),
        "municipality": grouped("municipality", EntryMunicipality.municipality_code, municipality_join),
        "year": grouped("year", YEAR),
        "trial_status": grouped("trial_status", Entry.trial_status),
        "norm_status": grouped("norm_status", normstatus.latest_status()),
    }
    facets["year"].counts.sort(key=lambda kn: -int(kn[0]))
    facets["year"].counts = [(int(k), n) for k, n in facets["year"].counts]
    return facets


def like_municipality(session: Session, municipality: Municipality, limit: int = 6) -> list[Entry]:
    """Published entries of municipalities like MUNICIPALITY: the same region and the same language
    (Finnish, Swedish or bilingual, from the register), newest first, its own entries left out.

    The register has no population, and no population data ships with the project, so size is not
    compared.
    """
    peers = select(Municipality.code).where(
        Municipality.region_code == municipality.region_code, Municipality.code != municipality.code,
        Municipality.language_ratio == municipality.language_ratio)
    own = select(EntryMunicipality.entry_id).where(EntryMunicipality.municipality_code == municipality.code)
    return list(session.exec(
        select(Entry).where(PUBLISHED, Entry.id.in_(select(EntryMunicipality.entry_id).where(
            EntryMunicipality.municipality_code.in_(peers))), Entry.id.not_in(own))
        .order_by(Entry.published_on.desc().nulls_last(), Entry.id.desc()).limit(limit)
    ).all())


def get_published(session: Session, slug: str) -> Entry | None:
    """Return the published entry with SLUG, or None (drafts and rejected entries are not public)."""
    return session.exec(select(Entry).where(Entry.slug == slug, PUBLISHED)).first()


def count_by_type(session: Session) -> dict[str, int]:
    """Count published entries per type (every type present, zero included)."""
    counts = dict(session.exec(select(Entry.type, sa.func.count()).where(PUBLISHED).group_by(Entry.type)).all())
    return {t.value: counts.get(t.value, 0) for t in EntryType}


def latest(session: Session, limit: int = 6) -> list[Entry]:
    """Return the most recently published entries."""
    return list(session.exec(
        select(Entry).where(PUBLISHED).order_by(Entry.published_on.desc().nulls_last(), Entry.id.desc()).limit(limit)
    ).all())


def regions(session: Session) -> list[tuple[str, str, str, int]]:
    """List regions as (code, Finnish name, Swedish name, published entry count), by Finnish name."""
    counted = (
        select(Municipality.region_code, sa.func.count(sa.distinct(Entry.id)))
        .join(EntryMunicipality, EntryMunicipality.municipality_code == Municipality.code)
        .join(Entry, Entry.id == EntryMunicipality.entry_id)
        .where(PUBLISHED).group_by(Municipality.region_code)
    )
    counts = countcache.cached(session, ("regions",), lambda: dict(session.exec(counted).all()))
    names = session.exec(
        select(Municipality.region_code, Municipality.region_fi, Municipality.region_sv).distinct()
    ).all()
    return sorted(((c, fi, sv, counts.get(c, 0)) for c, fi, sv in names), key=lambda r: r[1])
