"""Schema changes go only through Alembic: head equals the models, and downgrade works."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from ideapankki import migrate
from ideapankki.db import create_db_engine


@pytest.fixture
def empty_engine(databases):
    """An engine on an empty database, disposed afterwards (a pool left to the garbage collector
    leaves PostgreSQL connections open: a ResourceWarning, an error under filterwarnings)."""
    engine = create_db_engine(databases.empty())
    yield engine
    engine.dispose()


def test_upgrade_head_matches_the_models_exactly(empty_engine):
    migrate.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


def test_downgrade_to_base_removes_every_table_and_upgrade_again_works(empty_engine):
    migrate.upgrade(empty_engine)
    migrate.downgrade(empty_engine, "base")
    assert set(sa.inspect(empty_engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(empty_engine)
    assert "entry" in sa.inspect(empty_engine).get_table_names()


def test_init_loads_the_register_and_themes(session):
    from ideapankki.models import Municipality, Theme

    assert session.get(Municipality, "091").name_sv == "Helsingfors"
    assert session.get(Municipality, "205").name_fi == "Kajaani"
    assert len(session.exec(sa.select(Theme)).all()) == 10
    assert session.exec(sa.select(sa.func.count()).select_from(Municipality)).one()[0] == 309
