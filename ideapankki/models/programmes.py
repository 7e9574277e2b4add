"""Trial programmes, their participating municipalities and links."""

from datetime import date, datetime
from typing import Optional

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from .base import Language, _one_of, _timestamp
from .register import Municipality


class Programme(SQLModel, table=True):
    """A national programme of municipal trials (e.g. Työllisyyden kuntakokeilut 2021–2023).

    Editorial reference content, imported from content/programmes/; practices belong to one
    through Entry.programme_slug. The totals are what the sources state, which may exceed the
    participants the bank can name.
    """

    slug: str = Field(primary_key=True, max_length=120)
    title: str = Field(max_length=300)
    summary: str = Field(sa_type=sa.Text)
    language: str = Field(default=Language.fi.value, max_length=2)
    body_md: str = Field(default="", sa_type=sa.Text)
    # rendered and sanitised once at save time (ideapankki.markdown.render)
    body_html: str = Field(default="", sa_type=sa.Text)
    period_start: date
    period_end: Optional[date] = None
    law_title: Optional[str] = Field(default=None, max_length=300)
    law_number: Optional[str] = Field(default=None, max_length=20)
    law_confirmed: Optional[date] = None
    areas: Optional[int] = None
    participants_total: Optional[int] = None
    updated_at: datetime = _timestamp()

    participant_links: list["ProgrammeMunicipality"] = Relationship(
        sa_relationship_kwargs={"order_by": "ProgrammeMunicipality.position", "cascade": "all, delete-orphan"},
    )
    links: list["ProgrammeLink"] = Relationship(
        sa_relationship_kwargs={"order_by": "ProgrammeLink.position", "cascade": "all, delete-orphan"},
    )

    __table_args__ = (
        _one_of("language", Language, "ck_programme_language"),
        sa.CheckConstraint("length(slug) > 0 AND length(title) > 0", name="ck_programme_nonempty"),
        sa.CheckConstraint("period_end IS NULL OR period_end >= period_start", name="ck_programme_period"),
        sa.CheckConstraint("law_title IS NOT NULL OR (law_number IS NULL AND law_confirmed IS NULL)",
                           name="ck_programme_law"),
        sa.CheckConstraint("areas IS NULL OR areas >= 0", name="ck_programme_areas"),
        sa.CheckConstraint("participants_total IS NULL OR participants_total >= 0", name="ck_programme_total"),
    )

    @property
    def municipalities(self) -> list[Municipality]:
        return [link.municipality for link in self.participant_links]


class ProgrammeMunicipality(SQLModel, table=True):
    """A participating municipality of a programme that the bank can name."""

    __tablename__ = "programme_municipality"

    programme_slug: str = Field(foreign_key="programme.slug", primary_key=True, ondelete="CASCADE", max_length=120)
    municipality_code: str = Field(foreign_key="municipality.code", primary_key=True, index=True)
    position: int

    municipality: Municipality = Relationship(sa_relationship_kwargs={"lazy": "joined"})


class ProgrammeLink(SQLModel, table=True):
    __tablename__ = "programme_link"

    id: Optional[int] = Field(default=None, primary_key=True)
    programme_slug: str = Field(foreign_key="programme.slug", index=True, ondelete="CASCADE", max_length=120)
    position: int
    title: str = Field(max_length=300)
    url: str = Field(max_length=2000)
