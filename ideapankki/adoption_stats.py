"""How practices spread: counts of adoptions over published practices and ideas, for the statistics page.

An adopting municipality is the municipality of an organisation that marked the entry "in use"
(ideapankki.adoptions); organisations without a municipality (groups, associations) count as
adopters but not as municipalities. Each count is one GROUP BY query, published entries only.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from .adoptions import ADOPTABLE_TYPES
from .models import Adoption, AdoptionStatus, Entry, EntryState, Municipality, Organisation

MOST_ADOPTED = 10  # how many entries the "most adopted" list shows

PUBLISHED_ADOPTABLE = sa.and_(Entry.state == EntryState.published.value, Entry.type.in_(ADOPTABLE_TYPES))
IN_USE = Adoption.status == AdoptionStatus.adopted.value


@dataclass(frozen=True)
class Spread:
    """An entry and the number of municipalities that have it in use."""

    slug: str
    title: str
    type: str
    municipalities: int


@dataclass(frozen=True)
class RegionAdoptions:
    code: str
    name_fi: str
    name_sv: str
    adopted: int  # marks "in use" by organisations in the region's municipalities
    interested: int


@dataclass(frozen=True)
class AdoptionStatistics:
    by_municipalities: list[tuple[int, int]]  # (adopting municipalities, entries with that many), 0 included
    most_adopted: list[Spread]
    regions: list[RegionAdoptions]
    marks: dict[str, int]  # status -> marks on published entries

    @property
    def any(self) -> bool:
        return any(self.marks.values())


def _spread(session: Session) -> list[Spread]:
    """Every published practice and idea with its number of adopting municipalities (most first)."""
    count = sa.func.count(sa.distinct(Organisation.municipality_code))
    rows = session.exec(
        select(Entry.slug, Entry.title, Entry.type, count)
        .join(Adoption, Adoption.entry_id == Entry.id)
        .join(Organisation, Organisation.id == Adoption.organisation_id)
        .where(PUBLISHED_ADOPTABLE, IN_USE).group_by(Entry.id, Entry.slug, Entry.title, Entry.type)
    ).all()
    return sorted((Spread(*row) for row in rows), key=lambda s: (-s.municipalities, s.title, s.slug))


def _by_municipalities(session: Session, spread: list[Spread]) -> list[tuple[int, int]]:
    entries = session.exec(select(sa.func.count()).select_from(Entry).where(PUBLISHED_ADOPTABLE)).one()
    table: dict[int, int] = {}
    for s in spread:
        table[s.municipalities] = table.get(s.municipalities, 0) + 1
    table[0] = table.get(0, 0) + entries - sum(table.values())
    return sorted(table.items())


def _regions(session: Session) -> list[RegionAdoptions]:
    counted: dict[str, dict[str, int]] = {}
    for region, status, n in session.exec(
        select(Municipality.region_code, Adoption.status, sa.func.count(Adoption.id))
        .join(Organisation, Organisation.municipality_code == Municipality.code)
        .join(Adoption, Adoption.organisation_id == Organisation.id)
        .join(Entry, Entry.id == Adoption.entry_id)
        .where(PUBLISHED_ADOPTABLE).group_by(Municipality.region_code, Adoption.status)
    ).all():
        counted.setdefault(region, {})[status] = n
    names = session.exec(
        select(Municipality.region_code, Municipality.region_fi, Municipality.region_sv).distinct()).all()
    found = [RegionAdoptions(code, fi, sv, counted.get(code, {}).get("adopted", 0),
                             counted.get(code, {}).get("interested", 0)) for code, fi, sv in names]
    return sorted(found, key=lambda r: (-r.adopted, -r.interested, r.name_fi))


def collect(session: Session) -> AdoptionStatistics:
    """Every count of the statistics page's adoption sections."""
    spread = _spread(session)
    marks = dict(session.exec(
        select(Adoption.status, sa.func.count(Adoption.id)).join(Entry, Entry.id == Adoption.entry_id)
        .where(PUBLISHED_ADOPTABLE).group_by(Adoption.status)).all())
    return AdoptionStatistics(
        by_municipalities=_by_municipalities(session, spread),
        most_adopted=[s for s in spread if s.municipalities][:MOST_ADOPTED],
        regions=_regions(session),
        marks={status.value: marks.get(status.value, 0) for status in AdoptionStatus},
    )


def to_json(stats: AdoptionStatistics) -> dict:
    """The API's stable shape of the adoption counts (field names are a contract)."""
    return {
        "marks": stats.marks,
        "by_adopting_municipalities": [{"municipalities": n, "entries": count}
                                       for n, count in stats.by_municipalities],
        "most_adopted": [{"slug": s.slug, "title": s.title, "type": s.type, "municipalities": s.municipalities}
                         for s in stats.most_adopted],
        "regions": [{"code": r.code, "name_fi": r.name_fi, "name_sv": r.name_sv, "adopted": r.adopted,
                     "interested": r.interested} for r in stats.regions],
    }
