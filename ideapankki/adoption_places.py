"""A municipality's part in how practices spread: what its organisations have marked in use or are
interested in, and which of its own entries others have taken into use (the municipality's page).

Published practices and ideas only (ideapankki.adoptions decides what can be marked); an
organisation belongs to a municipality through its register row's municipality code.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session

from . import db_reads
from .adoption_stats import IN_USE
from .adoptions import ADOPTABLE_TYPES
from .models import Adoption, AdoptionStatus, Entry, EntryState, Organisation

LIMIT = 100  # at most this many rows per list on the page
# Made once: SQLAlchemy adapts an alias's columns on first use, some milliseconds per new alias.
_MARK, _OWN, _ADOPTER = aliased(Adoption), aliased(Entry), aliased(Organisation)


@dataclass(frozen=True)
class MarkHere:
    """An entry an organisation of the municipality has in use (since YEAR) or is interested in."""

    slug: str
    title: str
    language: str
    type: str
    organisation: str
    status: str
    year: int | None


@dataclass(frozen=True)
class TakenUp:
    """An entry submitted by an organisation of the municipality, and how many other organisations use it."""

    slug: str
    title: str
    language: str
    type: str
    organisations: int


@dataclass(frozen=True)
class MunicipalityAdoptions:
    marked: list[MarkHere]
    taken_up: list[TakenUp]

    @property
    def any(self) -> bool:
        return bool(self.marked or self.taken_up)


def of_municipality(source: Session | db_reads.Pooled, code: str, limit: int = LIMIT) -> MunicipalityAdoptions:
    """What organisations of municipality CODE marked (in use first, by year), and which entries of
    its organisations others have in use (the most used first). SOURCE: a session, or a reading
    request's pooled connection (db_reads: two fixed statements, compiled once; building and
    running them through SQLAlchemy cost ten times SQLite's work).

    Each query names its entries also as an IN list that starts from the municipality's
    organisations (the alias of each IN list is its own table, not correlated with the outer
    query): without it SQLite's planner walked every published practice and idea (22 ms a
    municipality page at 20,000 entries, 1 ms with it); PostgreSQL plans it as a semi-join."""
    marked = MARKED.rows(source, code=code, limit=limit)
    taken_up = TAKEN_UP.rows(source, code=code, limit=limit)
    return MunicipalityAdoptions([MarkHere(*row) for row in marked], [TakenUp(*row) for row in taken_up])


_CODE, _LIMIT = sa.bindparam("code", type_=sa.String), sa.bindparam("limit", type_=sa.Integer)
# PUBLISHED_ADOPTABLE with its types as fixed parameters: an expanding IN is SQL made per call.
_ADOPTABLE = sa.and_(Entry.state == EntryState.published.value, Entry.type.in_([sa.literal(t) for t in ADOPTABLE_TYPES]))


def _marked():
    here = sa.select(Organisation.id).where(Organisation.municipality_code == _CODE)
    return (sa.select(Entry.slug, Entry.title, Entry.language, Entry.type, Organisation.name, Adoption.status,
                      Adoption.year)
            .join(Adoption, Adoption.entry_id == Entry.id)
            .join(Organisation, Organisation.id == Adoption.organisation_id)
            .where(_ADOPTABLE, Adoption.organisation_id.in_(here),
                   Entry.id.in_(sa.select(_MARK.entry_id).where(_MARK.organisation_id.in_(here))))
            .order_by(sa.case((Adoption.status == AdoptionStatus.adopted.value, 0), else_=1), Adoption.year,
                      Entry.title, Adoption.id)
            .limit(_LIMIT))


def _taken_up():
    here = sa.select(Organisation.id).where(Organisation.municipality_code == _CODE)
    count = sa.func.count(sa.distinct(Adoption.organisation_id))
    return (sa.select(Entry.slug, Entry.title, Entry.language, Entry.type, count)
            .join(Adoption, Adoption.entry_id == Entry.id)
            .join(_ADOPTER, _ADOPTER.id == Adoption.organisation_id)
            .where(_ADOPTABLE, IN_USE, Entry.id.in_(sa.select(_OWN.id).where(_OWN.organisation_id.in_(here))),
                   sa.or_(_ADOPTER.municipality_code.is_(None), _ADOPTER.municipality_code != _CODE))
            .group_by(Entry.id, Entry.slug, Entry.title, Entry.language, Entry.type)
            .order_by(count.desc(), Entry.title)
            .limit(_LIMIT))


MARKED, TAKEN_UP = db_reads.Read(_marked), db_reads.Read(_taken_up)
