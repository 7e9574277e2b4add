"""A municipality's part in how practices spread: what its organisations have marked in use or are
interested in, and which of its own entries others have taken into use (the municipality's page).

Published practices and ideas only (ideapankki.adoptions decides what can be marked); an
organisation belongs to a municipality through its register row's municipality code.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from .adoption_stats import IN_USE, PUBLISHED_ADOPTABLE
from .models import Adoption, AdoptionStatus, Entry, Organisation

LIMIT = 100  # at most this many rows per list on the page


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


def of_municipality(session: Session, code: str, limit: int = LIMIT) -> MunicipalityAdoptions:
    """What organisations of municipality CODE marked (in use first, by year), and which entries of
    its organisations others have in use (the most used first)."""
    marked = session.exec(
        select(Entry.slug, Entry.title, Entry.language, Entry.type, Organisation.name, Adoption.status,
               Adoption.year)
        .join(Adoption, Adoption.entry_id == Entry.id)
        .join(Organisation, Organisation.id == Adoption.organisation_id)
        .where(PUBLISHED_ADOPTABLE, Organisation.municipality_code == code)
        .order_by(sa.case((Adoption.status == AdoptionStatus.adopted.value, 0), else_=1), Adoption.year,
                  Entry.title, Adoption.id)
        .limit(limit)
    ).all()
    author = aliased(Organisation)
    adopter = aliased(Organisation)
    count = sa.func.count(sa.distinct(Adoption.organisation_id))
    taken_up = session.exec(
        select(Entry.slug, Entry.title, Entry.language, Entry.type, count)
        .join(author, author.id == Entry.organisation_id)
        .join(Adoption, Adoption.entry_id == Entry.id)
        .join(adopter, adopter.id == Adoption.organisation_id)
        .where(PUBLISHED_ADOPTABLE, IN_USE, author.municipality_code == code,
               sa.or_(adopter.municipality_code.is_(None), adopter.municipality_code != code))
        .group_by(Entry.id, Entry.slug, Entry.title, Entry.language, Entry.type)
        .order_by(count.desc(), Entry.title)
        .limit(limit)
    ).all()
    return MunicipalityAdoptions([MarkHere(*row) for row in marked], [TakenUp(*row) for row in taken_up])
