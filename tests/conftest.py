"""Shared fixtures: a migrated database per test of each kind, the app, and entry factories.

Every test that touches a database runs twice, `[sqlite]` and `[postgresql]`. The PostgreSQL
runs need IDEAPANKKI_TEST_POSTGRES_URL (see tests/databases.py) and are skipped without it,
unless IDEAPANKKI_REQUIRE_POSTGRES=1 (CI), which makes a missing server a failure.
"""

from __future__ import annotations

import os
import sqlite3

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from argon2 import PasswordHasher
from sqlmodel import Session

from databases import KINDS, REQUIRE_VARIABLE, SERVER_VARIABLE, PostgresServer, Template
from clients import ClosingClient
import lazy_url_builders
from factories import make_entry
from ideapankki import accounts, create_app
from ideapankki.changes import site_version
from ideapankki.db import create_db_engine
from ideapankki.web.database import ENGINE_KEY
from ideapankki import close_app


# argon2 at test cost: a log-in costs milliseconds instead of 0.1-0.3 s (thousands of log-ins).
# The production parameters are checked by the tests that use the production_hashing fixture.
TEST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def _no_fsync(dbapi_connection, _record):
    """SQLite without fsync in the test process, as the PostgreSQL server of .ci/postgres.sh runs with
    fsync=off: a commit waited ~6 ms for the disk (the workflow state machine spent 6 of its 110 s
    in 992 commits). What a test sees is the same: synchronous only decides whether a commit waits
    until the disk has it, which matters after a power cut, not to another connection or process.
    Servers a test starts as processes (tests/test_crash.py's kill -9, the CLI) keep the site's setting."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous=OFF")


def pytest_configure(config):
    accounts.use_password_hasher(TEST_HASHER)
    event.listen(Engine, "connect", _no_fsync)
    lazy_url_builders.install()  # create_app without compiling ~800 URL builders the test never uses


@pytest.fixture
def production_hashing():
    """Hash and verify at the site's real argon2 cost for this test."""
    accounts.use_password_hasher(accounts.PRODUCTION_HASHER)
    yield accounts.PRODUCTION_HASHER
    accounts.use_password_hasher(TEST_HASHER)


def pytest_sessionstart(session):
    if os.environ.get(REQUIRE_VARIABLE) == "1" and not os.environ.get(SERVER_VARIABLE):
        raise pytest.UsageError(f"{REQUIRE_VARIABLE}=1 but {SERVER_VARIABLE} is not set "
                                "(eval \"$(.ci/postgres.sh start)\" starts a server and sets both)")


NO_SERVER = f"PostgreSQL runs need {SERVER_VARIABLE} (a server URL; .ci/postgres.sh start prints one)"


def pytest_report_header(config):
    url = os.environ.get(SERVER_VARIABLE)
    return f"databases: sqlite, postgresql at {sa.make_url(url).render_as_string()}" if url else \
        f"databases: sqlite only ({NO_SERVER})"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Modules with a test marked slow first, each whole (its module fixtures made once), in their order;
    before them those marked `slow(first=True)` (tests/test_crash.py, the longest test).

    xdist hands tests out in this order and lets an idle worker take the end of another's queue: a
    long test started late would keep one worker busy while the other has nothing left to do.
    """
    slow, first = set(), set()
    for item in items:
        if marker := item.get_closest_marker("slow"):
            slow.add(item.path)
            if marker.kwargs.get("first"):
                first.add(item.path)
    items.sort(key=lambda item: (item.path not in first, item.path not in slow))  # stable: keeps each part's order
    _skip_postgres_runs(items)


def _skip_postgres_runs(items):
    """Skip [postgresql] runs without a server (one summary line per file), and those of sqlite_only tests."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if not (callspec and callspec.params.get("db_kind") == "postgresql"):
            continue
        marker = item.get_closest_marker("sqlite_only")
        if marker:
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {marker.args[0]}"))
        elif not os.environ.get(SERVER_VARIABLE):
            item.add_marker(pytest.mark.skip(reason=NO_SERVER))


@pytest.fixture(scope="session")
def pg_server():
    """The PostgreSQL server the tests may create databases on; skips (or fails, in CI) without one."""
    url = os.environ.get(SERVER_VARIABLE)
    required = os.environ.get(REQUIRE_VARIABLE) == "1"
    if not url:
        pytest.skip(NO_SERVER)
    server = PostgresServer(url)
    try:
        server.check()
        server.sweep()
    except Exception as exc:  # noqa: BLE001 - any failure to reach the server means the same here
        server.close()
        message = f"PostgreSQL at {server.url.render_as_string()} is not usable: {exc}"
        pytest.fail(message, pytrace=False) if required else pytest.skip(message)
    yield server
    server.close()


@pytest.fixture(scope="session", params=KINDS)
def db_kind(request):
    """The database kind of this run; the PostgreSQL runs ask for the server first."""
    if request.param == "postgresql":
        request.getfixturevalue("pg_server")
    return request.param


@pytest.fixture(scope="session")
def _templates():
    """The session's migrated templates by kind, made on first use and kept to the end of the session."""
    made: dict[str, Template] = {}
    yield made
    for template in made.values():
        template.close()


@pytest.fixture(scope="session")
def db_template(db_kind, _templates, request, tmp_path_factory):
    """The migrated template of this run's kind. pytest makes a parametrized session fixture again
    whenever the kind changes between two tests (a worker that ran [sqlite] tests is handed
    [postgresql] ones, tests/conftest.py runs slow modules first): the template is migrated once."""
    if db_kind == "sqlite":
        return request.getfixturevalue("sqlite_template")
    if db_kind not in _templates:
        server = request.getfixturevalue("pg_server")
        _templates[db_kind] = Template(db_kind, tmp_path_factory.mktemp(f"template-{db_kind}"), server)
    return _templates[db_kind]


@pytest.fixture(scope="session")
def sqlite_template(_templates, tmp_path_factory):
    """The migrated SQLite template, also for a test of SQLite alone that is not run per kind
    (tests/test_crash.py copies it instead of migrating a database of its own)."""
    if "sqlite" not in _templates:
        _templates["sqlite"] = Template("sqlite", tmp_path_factory.mktemp("template-sqlite"), None)
    return _templates["sqlite"]


@pytest.fixture
def databases(db_template, tmp_path):
    """New databases for this test, of this run's kind; dropped afterwards."""
    made = db_template.databases(tmp_path)
    yield made
    made.close()


@pytest.fixture(scope="module")
def module_databases(db_template, tmp_path_factory):
    made = db_template.databases(tmp_path_factory.mktemp("module-db"))
    yield made
    made.close()


@pytest.fixture
def engine(databases):
    """A migrated database with the reference data loaded."""
    engine = create_db_engine(databases.fresh())
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine):
    with Session(engine, expire_on_commit=False) as session:
        yield session


def make_app(instance_dir, database_url):
    """The app of the web tests, on DATABASE_URL; close it with close_app."""
    app = create_app({
        "TESTING": True,
        "INSTANCE_DIR": instance_dir,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret",
        "PER_PAGE": 5,
    })
    app.test_client_class = ClosingClient
    return app


@pytest.fixture
def app(tmp_path, databases):
    app = make_app(tmp_path / "instance", databases.fresh())
    yield app
    close_app(app)


@pytest.fixture(scope="module")
def module_app(module_databases, tmp_path_factory):
    """One app and database for a module's tests that only read: arrange it once in a module fixture.

    A test that writes takes `app` (its own database) instead, so no test sees another's writes.
    """
    app = make_app(tmp_path_factory.mktemp("module-app") / "instance", module_databases.fresh())
    yield app
    close_app(app)


@pytest.fixture
def module_client(module_app):
    """A client of module_app. The test fails if it changed what the module's tests share
    (site_version moved): such a test takes `app` and `client`, a database of its own."""
    engine = module_app.extensions[ENGINE_KEY]
    before = site_version(engine)
    yield module_app.test_client()
    assert site_version(engine) == before, "a test on the shared module_app wrote: give it `app` and `client`"


@pytest.fixture
def reader(shared, module_client):
    """module_client once the module's `shared` fixture (module-scoped, on module_app) has
    arranged the data its reading tests share."""
    return module_client


@pytest.fixture(scope="module")
def module_session(module_app):
    """A session on module_app's database, for arranging the module's data."""
    with Session(module_app.extensions[ENGINE_KEY], expire_on_commit=False) as session:
        yield session


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def module_entry_factory(module_session):
    return lambda slug="kokeilu", **kw: make_entry(module_session, slug, **kw)


@pytest.fixture
def app_session(app):
    """A session on the web app's database, for arranging data before requests."""
    with Session(app.extensions[ENGINE_KEY], expire_on_commit=False) as session:
        yield session


@pytest.fixture
def entry_factory(app_session):
    return lambda slug="kokeilu", **kw: make_entry(app_session, slug, **kw)


@pytest.fixture
def database_env(db_kind, databases, monkeypatch):
    """IDEAPANKKI_DATABASE_URL for CLI runs: unset on SQLite (the instance's file), an empty database on PostgreSQL."""
    if db_kind == "sqlite":
        monkeypatch.delenv("IDEAPANKKI_DATABASE_URL", raising=False)
        return None
    url = databases.empty()
    monkeypatch.setenv("IDEAPANKKI_DATABASE_URL", url)
    return url
