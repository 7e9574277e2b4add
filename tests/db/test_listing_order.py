"""Newest-first listings read the listing index in order: no sort of every published entry."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import select

from factories import make_entry
from ideapankki.browse import PUBLISHED
from ideapankki.models import Entry

NEWEST_FIRST = (Entry.published_on.desc().nulls_last(), Entry.id.desc())


def _plan(session, query) -> str:
    """The plan of QUERY, with PostgreSQL told to avoid sorting: a sort left in means no index fits."""
    connection = session.connection()
    sql = str(query.compile(connection, compile_kwargs={"literal_binds": True}))
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL enable_sort = off")
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        return "\n".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {sql}"))
    return "\n".join(row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))


def test_front_page_and_browse_order_comes_from_the_index(session):
    make_entry(session, "eka")
    make_entry(session, "toka", type="idea")
    for query in (
        select(Entry).where(PUBLISHED).order_by(*NEWEST_FIRST).limit(6),
        select(Entry).where(PUBLISHED, Entry.type == "idea").order_by(*NEWEST_FIRST).offset(20).limit(20),
    ):
        plan = _plan(session, query)
        assert "ix_entry_state_published_on_id" in plan, plan
        assert "Sort" not in plan and "TEMP B-TREE" not in plan, plan
    session.rollback()


def test_the_order_puts_undated_entries_last(session):
    make_entry(session, "vanha", published=date(2020, 1, 1))
    make_entry(session, "uusi", published=date(2024, 1, 1))
    make_entry(session, "paivaton")
    session.execute(sa.update(Entry).where(Entry.slug == "paivaton").values(published_on=None))
    session.commit()
    slugs = session.exec(select(Entry.slug).where(PUBLISHED).order_by(*NEWEST_FIRST)).all()
    assert slugs == ["uusi", "vanha", "paivaton"]


def test_cards_come_in_the_order_asked_across_reads_and_only_when_published(session):
    """A list longer than one read (the API's 100 a page) is read in slices; the order is the
    caller's, a draft among the ids is left out, and the columns come converted (a date)."""
    from ideapankki import listing
    from ideapankki.models import EntryState

    made = [make_entry(session, f"kortti-{n}", published=date(2020, 1, 1 + n % 28)) for n in range(45)]
    draft = make_entry(session, "luonnos", state=EntryState.draft)
    ids = [entry.id for entry in reversed(made)]
    ids.insert(7, draft.id)
    found = listing.cards(session, ids)
    assert [card.slug for card in found] == [f"kortti-{n}" for n in reversed(range(45))]
    assert found[0].published_on == date(2020, 1, 1 + 44 % 28) and found[0].title == "Otsikko kortti-44"


def test_a_municipality_pages_adoption_lists_start_from_its_organisations(session, db_kind):
    """Without the IN lists from the municipality's organisations, SQLite walked every published
    practice and idea for each municipality page (22 ms at 20,000 entries). The two statements are
    fixed reads (db_reads): their SQL and parameters are the ones planned here."""
    from ideapankki import adoption_places

    make_entry(session, "eka")
    assert not adoption_places.of_municipality(session, "091").any
    if db_kind != "sqlite":
        return
    dialect = session.get_bind().dialect
    for read in (adoption_places.MARKED, adoption_places.TAKEN_UP):
        compiled = read._for(dialect)
        plan = "\n".join(row[-1] for row in session.connection().exec_driver_sql(
            f"EXPLAIN QUERY PLAN {compiled.sql}", tuple(compiled.parameters({"code": "091", "limit": 100}))))
        entry_access = [line for line in plan.splitlines() if line.startswith("SEARCH entry ")]
        assert entry_access and all("rowid=?" in line for line in entry_access), plan