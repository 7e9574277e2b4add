"""Reference data: the municipality register and the themes."""

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class Municipality(SQLModel, table=True):
    """A municipality from the register (reference data, loaded from data/municipalities.csv)."""

    code: str = Field(primary_key=True, max_length=3)
    name_fi: str = Field(max_length=80, index=True)
    name_sv: str = Field(max_length=80, index=True)
    region_code: str = Field(max_length=8, index=True)
    region_fi: str = Field(max_length=80)
    region_sv: str = Field(max_length=80)
    # 1 = Finnish-speaking, 2 = bilingual, 4 = Swedish-speaking / Åland (register coding)
    language_ratio: int

    __table_args__ = (sa.CheckConstraint("language_ratio IN (1, 2, 3, 4)", name="ck_municipality_language"),)


class Theme(SQLModel, table=True):
    """A theme from the fixed list; names are translated in the UI, the slug is the key."""

    slug: str = Field(primary_key=True, max_length=40)
    position: int
