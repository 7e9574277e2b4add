"""Database invariants hold as constraints, whatever code writes the rows."""

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from factories import make_entry
from ideapankki.models import Entry, EntryTheme


def insert_entry(session, **overrides):
    values = {"slug": "x", "type": "idea", "state": "draft", "language": "fi", "title": "T", "summary": "S",
              "body_md": "", "body_html": ""}
    values.update(overrides)
    session.add(Entry(**values))
    session.flush()


@pytest.mark.parametrize("overrides", [
    {"type": "recipe"},
    {"state": "secret"},
    {"language": "de"},
    {"type": "idea", "trial_status": "ended"},
    {"type": "practice", "trial_status": "maybe"},
    {"slug": ""},
])
def test_invalid_values_are_refused_by_the_database(session, overrides):
    with pytest.raises(IntegrityError):
        insert_entry(session, **overrides)


def test_period_must_not_end_before_it_starts(session):
    from datetime import date

    with pytest.raises(IntegrityError):
        insert_entry(session, type="practice", period_start=date(2023, 1, 1), period_end=date(2022, 1, 1))


def test_slug_is_unique(session):
    insert_entry(session, slug="sama")
    with pytest.raises(IntegrityError):
        insert_entry(session, slug="sama")


def test_unknown_theme_is_refused_by_foreign_key(session):
    entry = make_entry(session, "teematon")
    session.add(EntryTheme(entry_id=entry.id, theme_slug="astrologia", position=0))
    with pytest.raises(IntegrityError):
        session.flush()


def test_deleting_an_entry_removes_its_rows(session):
    entry = make_entry(session, "poistettava", municipalities=["Kajaani"], themes=["tyollisyys"], tags=["a"],
                       laws=[{"title": "Laki", "number": "1/2020"}])
    session.delete(entry)
    session.commit()
    for table in ("entry_municipality", "entry_theme", "entry_tag", "law_reference", "revision", "transition"):
        assert session.exec(sa.text(f"SELECT count(*) FROM {table}")).one()[0] == 0
