"""The submissions-per-hour limit in the domain layer: no Flask, a real database."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from ideapankki import accounts, entries, limits
from ideapankki.content import EntryDocument
from ideapankki.db import create_db_engine
from ideapankki.models import Entry, Role, utcnow

from clients import PASSWORD


def new_doc(i: int) -> EntryDocument:
    return EntryDocument(slug="x", type="idea", title=f"Idea numero {i}", summary="Tiivistelmä.")


def author(session, email="maija@kajaani.fi", role=Role.member):
    org = accounts.find_or_create_organisation(session, "Kajaani")
    user = accounts.add_user(session, email=email, role=role, password=PASSWORD, organisation=org)
    session.commit()
    return user


def count(session) -> int:
    return session.exec(select(sa.func.count()).select_from(Entry)).one()


def test_the_limit_stops_the_next_entry_and_writes_nothing(session):
    user = author(session)
    for i in range(3):
        entries.create_entry(session, new_doc(i), [], user, per_hour=3)
    session.commit()
    with pytest.raises(limits.TooManySubmissions) as raised:
        entries.create_entry(session, new_doc(4), [], user, per_hour=3)
    assert raised.value.limit == 3 and 3500 <= raised.value.retry_after <= 3601
    session.rollback()
    assert count(session) == 3


def test_entries_older_than_an_hour_do_not_count(session):
    user = author(session)
    for i in range(2):
        entries.create_entry(session, new_doc(i), [], user, per_hour=2)
    session.commit()
    session.execute(sa.update(Entry).values(created_at=utcnow() - timedelta(minutes=61)))
    session.commit()
    entries.create_entry(session, new_doc(3), [], user, per_hour=2)  # room again


def test_retry_after_counts_from_the_oldest_entry_in_the_hour(session):
    user = author(session)
    entries.create_entry(session, new_doc(1), [], user, per_hour=1)
    session.commit()
    session.execute(sa.update(Entry).values(created_at=utcnow() - timedelta(minutes=50)))
    session.commit()
    with pytest.raises(limits.TooManySubmissions) as raised:
        entries.create_entry(session, new_doc(2), [], user, per_hour=1)
    assert 590 <= raised.value.retry_after <= 601


def test_each_account_has_its_own_limit(session):
    first, second = author(session), author(session, "matti@kajaani.fi")
    entries.create_entry(session, new_doc(1), [], first, per_hour=1)
    entries.create_entry(session, new_doc(2), [], second, per_hour=1)


@pytest.mark.parametrize("role", [Role.moderator, Role.admin])
def test_moderators_and_admins_are_exempt(session, role):
    user = author(session, "mod@kuntaliitto.fi", role)
    for i in range(3):
        entries.create_entry(session, new_doc(i), [], user, per_hour=1)


def test_the_limit_holds_across_servers_on_one_database(engine, tmp_path):
    """Two engines (two servers) on one database, taking turns: the count is the database's."""
    other = create_db_engine(engine.url.render_as_string(hide_password=False))
    try:
        with Session(engine, expire_on_commit=False) as first:
            user = author(first)
        for i in range(4):
            with Session(engine if i % 2 else other, expire_on_commit=False) as session:
                me = session.get(type(user), user.id)
                entries.create_entry(session, new_doc(i), [], me, per_hour=4)
                session.commit()
        with Session(other) as session, pytest.raises(limits.TooManySubmissions):
            entries.create_entry(session, new_doc(5), [], session.get(type(user), user.id), per_hour=4)
    finally:
        other.dispose()
