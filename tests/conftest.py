"""Shared fixtures: a migrated database per test in tmp_path, the app, and entry factories."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from ideapankki import create_app
from ideapankki.db import create_db_engine
from ideapankki.migrate import init_database
from ideapankki.web import ENGINE_KEY

from factories import make_entry

@pytest.fixture
def engine(tmp_path):
    """A migrated SQLite database file with the reference data loaded."""
    engine = create_db_engine(f"sqlite:///{tmp_path / 'test.db'}")
    init_database(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine):
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def app(tmp_path):
    app = create_app({
        "TESTING": True,
        "INSTANCE_DIR": tmp_path / "instance",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'web.db'}",
        "SECRET_KEY": "test-secret",
        "PER_PAGE": 5,
    })
    init_database(app.extensions[ENGINE_KEY])
    yield app
    app.extensions[ENGINE_KEY].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def app_session(app):
    """A session on the web app's database, for arranging data before requests."""
    with Session(app.extensions[ENGINE_KEY], expire_on_commit=False) as session:
        yield session


@pytest.fixture
def entry_factory(app_session):
    return lambda slug="kokeilu", **kw: make_entry(app_session, slug, **kw)
