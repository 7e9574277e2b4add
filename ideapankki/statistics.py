"""Counts over published entries for the statistics page and its JSON.

Every count is one GROUP BY query over published entries only (never a loop over the bank),
so the page stays cheap as the bank grows. Results are plain dataclasses with every key of a
closed vocabulary present (zeros included), so charts, tables and the JSON have stable shapes.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from .models import (OWN_DATE, Entry, EntryMunicipality, EntryState, EntryTheme, EntryType, LawReference,
                     Municipality, NormAction, Programme, ProgrammeMunicipality, ProposerRole)
from . import normstatus
from .reference import THEME_SLUGS

PUBLISHED = Entry.state == EntryState.published.value
# A practice counts in the year its own period started, anything else in the year it was published
# (models.OWN_DATE): the 2015–2016 trials entered in 2026 belong to 2015.
YEAR = sa.extract("year", OWN_DATE)
NOT_STATED = "not_stated"  # the key for a norm proposal that leaves a field empty
ENTRY_COUNT = sa.func.count(sa.distinct(Entry.id))


@dataclass(frozen=True)
class YearRow:
    """One year: count per key (every key present, in order)."""

    year: int
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class ByYear:
    """A year × key table: KEYS are the columns in display order, ROWS the years (oldest first)."""

    keys: tuple[str, ...]
    rows: list[YearRow]

    def totals(self) -> dict[str, int]:
        """Count per key over all years."""
        return {key: sum(row.counts[key] for row in self.rows) for key in self.keys}


@dataclass(frozen=True)
class Count:
    key: str
    count: int


@dataclass(frozen=True)
class RegionCount:
    code: str
    name_fi: str
    name_sv: str
    count: int


@dataclass(frozen=True)
class LawCount:
    """Norm proposals that cite one law, grouped by statute number (or by title when it has none)."""

    number: str | None
    title: str
    count: int


@dataclass(frozen=True)
class ProgrammeCount:
    """A trial programme: municipalities the bank names, the total its sources state, its practices."""

    slug: str
    title: str
    named: int
    stated_total: int | None
    practices: int


@dataclass(frozen=True)
class Statistics:
    published: int
    types_by_year: ByYear
    themes_by_year: ByYear
    regions: list[RegionCount]
    norm_laws: list[LawCount]
    norm_actions: list[Count]
    norm_proposer_roles: list[Count]
    norm_statuses: list[Count]
    programmes: list[ProgrammeCount]
    evidence_levels: list[Count]


def _by_year(session: Session, key, keys: tuple[str, ...], *joins) -> ByYear:
    query = select(YEAR, key, ENTRY_COUNT).select_from(Entry)
    for target, on in joins:
        query = query.join(target, on)
    query = query.where(PUBLISHED, OWN_DATE.is_not(None)).group_by(YEAR, key)
    table: dict[int, dict[str, int]] = {}
    for year, value, count in session.exec(query).all():
        table.setdefault(int(year), dict.fromkeys(keys, 0))[value] = count
    return ByYear(keys, [YearRow(year, table[year]) for year in sorted(table)])


def types_by_year(session: Session) -> ByYear:
    """Published entries per type per year (a practice's start, else publication: OWN_DATE)."""
    return _by_year(session, Entry.type, tuple(t.value for t in EntryType))


def themes_by_year(session: Session) -> ByYear:
    """Published entries per theme per year; an entry counts once under each of its themes."""
    return _by_year(session, EntryTheme.theme_slug, THEME_SLUGS, (EntryTheme, EntryTheme.entry_id == Entry.id))


def regions(session: Session) -> list[RegionCount]:
    """Published entries per region (once per region, however many of its municipalities), most first.

    Every region of the register is listed, zero included, so the absence of entries shows too.
    """
    counted = dict(session.exec(
        select(Municipality.region_code, ENTRY_COUNT)
        .join(EntryMunicipality, EntryMunicipality.municipality_code == Municipality.code)
        .join(Entry, Entry.id == EntryMunicipality.entry_id)
        .where(PUBLISHED).group_by(Municipality.region_code)
    ).all())
    names = session.exec(
        select(Municipality.region_code, Municipality.region_fi, Municipality.region_sv).distinct()
    ).all()
    found = [RegionCount(code, fi, sv, counted.get(code, 0)) for code, fi, sv in names]
    return sorted(found, key=lambda r: (-r.count, r.name_fi))


def norm_laws(session: Session) -> list[LawCount]:
    """Published norm proposals per law they cite, most first; a proposal counts once per law."""
    key = sa.func.coalesce(LawReference.number, LawReference.title)
    rows = session.exec(
        select(LawReference.number, sa.func.min(LawReference.title), ENTRY_COUNT)
        .join(Entry, Entry.id == LawReference.entry_id)
        .where(PUBLISHED, Entry.type == EntryType.norm.value)
        .group_by(key, LawReference.number)
    ).all()
    found = [LawCount(number, title, count) for number, title, count in rows]
    return sorted(found, key=lambda law: (-law.count, law.number or "~", law.title))


def _norm_field(session: Session, column, values: tuple[str, ...]) -> list[Count]:
    counted = dict(session.exec(
        select(column, sa.func.count()).select_from(Entry)
        .where(PUBLISHED, Entry.type == EntryType.norm.value).group_by(column)
    ).all())
    return [Count(value, counted.get(value, 0)) for value in values] + [Count(NOT_STATED, counted.get(None, 0))]


def norm_actions(session: Session) -> list[Count]:
    """Published norm proposals per proposed action (remove, loosen…), then those that state none."""
    return _norm_field(session, Entry.proposal_action, tuple(a.value for a in NormAction))


def norm_proposer_roles(session: Session) -> list[Count]:
    """Published norm proposals per role of the proposer, then those that state none."""
    return _norm_field(session, Entry.proposal_proposer_role, tuple(r.value for r in ProposerRole))


def norm_statuses(session: Session) -> list[Count]:
    """Published norm proposals per current status after publication, then those with no step yet."""
    return _norm_field(session, normstatus.latest_status(), normstatus.STATUSES)


def evidence_levels(session: Session) -> list[Count]:
    """Published practices per confirmed evidence level ("1"…"5"), then those without one (NOT_STATED)."""
    found = dict(session.exec(select(Entry.evidence_level, sa.func.count()).where(
        PUBLISHED, Entry.type == EntryType.practice.value).group_by(Entry.evidence_level)).all())
    return [Count(str(level), found.get(level, 0)) for level in range(1, 6)] + [Count(NOT_STATED, found.get(None, 0))]


def programme_counts(session: Session) -> list[ProgrammeCount]:
    """Each trial programme's named participants and published practices (two GROUP BY queries)."""
    named = dict(session.exec(
        select(ProgrammeMunicipality.programme_slug, sa.func.count()).group_by(ProgrammeMunicipality.programme_slug)
    ).all())
    practices = dict(session.exec(
        select(Entry.programme_slug, sa.func.count()).where(PUBLISHED, Entry.programme_slug.is_not(None))
        .group_by(Entry.programme_slug)
    ).all())
    return [ProgrammeCount(p.slug, p.title, named.get(p.slug, 0), p.participants_total, practices.get(p.slug, 0))
            for p in session.exec(select(Programme).order_by(Programme.period_start, Programme.slug)).all()]


def collect(session: Session) -> Statistics:
    """Every count the statistics page and the API show."""
    published = session.exec(select(sa.func.count()).select_from(Entry).where(PUBLISHED)).one()
    return Statistics(
        published=published,
        types_by_year=types_by_year(session),
        themes_by_year=themes_by_year(session),
        regions=regions(session),
        norm_laws=norm_laws(session),
        norm_actions=norm_actions(session),
        norm_proposer_roles=norm_proposer_roles(session),
        norm_statuses=norm_statuses(session),
        programmes=programme_counts(session),
        evidence_levels=evidence_levels(session),
    )


def to_json(stats: Statistics) -> dict:
    """The API's stable shape of STATISTICS (field names are a contract)."""
    def by_year(table: ByYear) -> list[dict]:
        return [{"year": row.year, "counts": row.counts, "total": row.total} for row in table.rows]

    return {
        "published": stats.published,
        "types_by_year": by_year(stats.types_by_year),
        "themes_by_year": by_year(stats.themes_by_year),
        "regions": [{"code": r.code, "name_fi": r.name_fi, "name_sv": r.name_sv, "count": r.count}
                    for r in stats.regions],
        "norm_laws": [{"number": law.number, "title": law.title, "count": law.count} for law in stats.norm_laws],
        "norm_actions": {c.key: c.count for c in stats.norm_actions},
        "norm_proposer_roles": {c.key: c.count for c in stats.norm_proposer_roles},
        "norm_statuses": {c.key: c.count for c in stats.norm_statuses},
        "practices_by_evidence_level": {c.key: c.count for c in stats.evidence_levels},
        "programmes": [{"slug": p.slug, "title": p.title, "named_municipalities": p.named,
                        "stated_total": p.stated_total, "practices": p.practices} for p in stats.programmes],
    }
