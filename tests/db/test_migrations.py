"""Schema changes go only through Alembic: head equals the models, and downgrade works."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from ideapankki import migrate
from ideapankki.db import create_db_engine


def test_upgrade_head_matches_the_models_exactly(databases):
    engine = create_db_engine(databases.empty())
    migrate.upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


def test_downgrade_to_base_removes_every_table_and_upgrade_again_works(databases):
    engine = create_db_engine(databases.empty())
    migrate.upgrade(engine)
    migrate.downgrade(engine, "base")
    assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(engine)
    assert "entry" in sa.inspect(engine).get_table_names()


def test_init_loads_the_register_and_themes(session):
    from ideapankki.models import Municipality, Theme

    assert session.get(Municipality, "091").name_sv == "Helsingfors"
    assert session.get(Municipality, "205").name_fi == "Kajaani"
    assert len(session.exec(sa.select(Theme)).all()) == 10
    assert session.exec(sa.select(sa.func.count()).select_from(Municipality)).one()[0] == 309
