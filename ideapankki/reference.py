"""Reference data: the municipality register and the fixed theme list.

Both are loaded into the database at init (upsert), so entries can reference them with
foreign keys and browse pages can join on region without reading files per request.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, select

from .config import DATA_DIR
from .content import ContentError
from .models import Municipality, Theme

MUNICIPALITIES_CSV = DATA_DIR / "municipalities.csv"

# Slugs of the fixed theme list, in display order. Names are translated in the UI
# (ideapankki.web.labels); adding a theme means adding it here and there.
THEME_SLUGS: tuple[str, ...] = (
    "tyollisyys",
    "koulutus",
    "sosiaali-ja-terveys",
    "asuminen",
    "elinvoima",
    "digitalisaatio",
    "hallinto",
    "ymparisto",
    "nuoret",
    "maahanmuutto",
)


def read_register(path: Path = MUNICIPALITIES_CSV) -> list[Municipality]:
    """Read the municipality register CSV into (unsaved) Municipality objects."""
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            Municipality(
                code=row["code"],
                name_fi=row["name_fi"],
                name_sv=row["name_sv"],
                region_code=row["region_code"],
                region_fi=row["region_fi"],
                region_sv=row["region_sv"],
                language_ratio=int(row["language_ratio_code"]),
            )
            for row in csv.DictReader(fh)
        ]


def load_reference_data(session: Session) -> None:
    """Insert or update the municipality register and the theme list."""
    existing = {m.code: m for m in session.exec(select(Municipality))}
    for fresh in read_register():
        current = existing.get(fresh.code)
        if current is None:
            session.add(fresh)
        else:
            for field in ("name_fi", "name_sv", "region_code", "region_fi", "region_sv", "language_ratio"):
                setattr(current, field, getattr(fresh, field))
    themes = {t.slug: t for t in session.exec(select(Theme))}
    for position, slug in enumerate(THEME_SLUGS):
        if slug in themes:
            themes[slug].position = position
        else:
            session.add(Theme(slug=slug, position=position))
    session.flush()


_REGISTER_NAMES = select(Municipality.code, Municipality.name_fi, Municipality.name_sv)
# The same columns as one text, aggregated by the database (~0.1 ms against ~1 ms to read the rows
# and fold the names in Python): equal texts mean equal registers (tab and newline are in no name),
# so from_session builds the index again only when the register changed (or came in another order).
_REGISTER_TEXT = sa.select(sa.func.aggregate_strings(
    Municipality.code + "\t" + Municipality.name_fi + "\t" + Municipality.name_sv, "\n"))
_last: list = [(None, None)]  # (the register's text, its MunicipalityIndex): the one this process read last


@dataclass(frozen=True)
class MunicipalityIndex:
    """Resolve a municipality given as a Finnish or Swedish name or a 3-digit code."""

    by_key: dict[str, str]

    @classmethod
    def from_session(cls, session: Session) -> "MunicipalityIndex":
        """The index of the register as SESSION sees it: the one built last when the register's
        text is the same (every new entry and edit asks), else built from its rows."""
        connection = session.connection()
        text = connection.execute(_REGISTER_TEXT).scalar()
        held_text, held = _last[0]
        if text is not None and text == held_text:
            return held
        index = cls._read(connection)
        _last[0] = (text, index)
        return index

    @classmethod
    def _read(cls, connection) -> "MunicipalityIndex":
        by_key: dict[str, str] = {}
        # Three columns, not ORM objects: loading ~300 rows as models cost a form post ~6 ms; and on
        # the session's connection, not through the ORM's result (1.3 → 0.6 ms a submission).
        for code, name_fi, name_sv in connection.execute(_REGISTER_NAMES):
            by_key[code] = code
            by_key[name_fi.casefold()] = code
            by_key[name_sv.casefold()] = code
        return cls(by_key)

    def resolve(self, value: str) -> str | None:
        """Return the municipality code for VALUE, or None when the register has no such name."""
        value = value.strip()
        if value.isdigit():
            value = value.zfill(3)
        return self.by_key.get(value) or self.by_key.get(value.casefold())

    def codes(self, names: list[str], path: str) -> list[str]:
        """The codes of NAMES (an entry's or a programme's `municipalities`, read from PATH), in order;
        a ContentError naming the item for a name not in the register or a municipality named twice."""
        codes: list[str] = []
        for i, name in enumerate(names):
            code = self.resolve(name)
            if code is None:
                raise ContentError(path, f"municipalities[{i}]", f"{name!r} is not in the municipality register")
            if code in codes:
                raise ContentError(path, f"municipalities[{i}]", f"{name!r} names the same municipality twice")
            codes.append(code)
        return codes
