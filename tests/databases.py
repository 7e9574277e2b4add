"""Test databases of either kind: SQLite files, or databases on a PostgreSQL server.

Each kind migrates one template per test session (Alembic plus the reference data); a test's
database is a copy of it: a file copy for SQLite, `CREATE DATABASE … TEMPLATE` for PostgreSQL.
On PostgreSQL a thread makes the next copies ahead and drops the used ones afterwards (Ahead):
a copy costs the server some 30 ms of work but a test waited 0.1-0.3 s for it (a checkpoint, and
a busy machine's queue), and waited again for its DROP.
The PostgreSQL server comes from IDEAPANKKI_TEST_POSTGRES_URL, a URL of a role that may create
databases (`.ci/postgres.sh start` prints one).
"""

from __future__ import annotations

import os
import queue
import secrets
import shutil
import threading
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from ideapankki.db import create_db_engine
from ideapankki.migrate import init_database

SERVER_VARIABLE = "IDEAPANKKI_TEST_POSTGRES_URL"
REQUIRE_VARIABLE = "IDEAPANKKI_REQUIRE_POSTGRES"
KINDS = ("sqlite", "postgresql")
PREFIX = "ipk_test_"


def url_text(url: sa.URL) -> str:
    """URL as a string a child process or create_app can use (str() masks the password)."""
    return url.render_as_string(hide_password=False)


class PostgresServer:
    """Creates and drops the session's databases; names carry the pid, so leftovers can be swept."""

    def __init__(self, server_url: str):
        self.url = create_db_engine(server_url).url  # psycopg dialect, as the site uses it
        self.admin = sa.create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self.prefix = f"{PREFIX}{os.getpid()}_{secrets.token_hex(2)}_"
        self.count = 0
        self.version = 0
        self._names = threading.Lock()  # the Ahead thread names databases too

    def check(self) -> None:
        """Raise when the server cannot be reached or the role may not create databases."""
        with self.admin.connect() as connection:
            allowed = connection.execute(sa.text(
                "SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user")).scalar()
            self.version = connection.dialect.server_version_info[0]
        if not allowed:
            raise RuntimeError(f"{self.url.username} may not create databases (ALTER ROLE … CREATEDB)")

    def sweep(self) -> None:
        """Drop test databases left behind by sessions whose process is gone."""
        with self.admin.connect() as connection:
            names = connection.execute(sa.text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
                                       {"p": PREFIX.replace("_", r"\_") + "%"}).scalars().all()
        for name in names:
            pid = name.removeprefix(PREFIX).split("_", 1)[0]
            if pid.isdigit() and not _alive(int(pid)):
                self.drop(name)

    def url_for(self, name: str) -> str:
        return url_text(self.url.set(database=name))

    def create(self, template: str | None = None) -> str:
        with self._names:
            self.count += 1
            name = f"{self.prefix}{self.count}"
        # FILE_COPY (PostgreSQL 15+) copies a small template several times faster than WAL_LOG
        clause = f' TEMPLATE "{template}"{" STRATEGY FILE_COPY" if self.version >= 15 else ""}' if template else ""
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"{clause}')
        return name

    def drop(self, name: str) -> None:
        with self.admin.connect() as connection:  # FORCE ends connections a test left open
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        self.admin.dispose()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _migrate(url: str) -> None:
    engine = create_db_engine(url)
    try:
        init_database(engine)
    finally:
        engine.dispose()


class Ahead:
    """Copies of a PostgreSQL template made on a thread before a test asks for one (READY of them),
    and databases dropped there after their test. A copy is the template as migrated (nothing
    writes to the template), whenever it was made; a test that finds none ready makes its own."""

    READY = 2

    def __init__(self, server: PostgresServer, template: str):
        self.server, self.template = server, template
        self.ready: queue.Queue[str] = queue.Queue()
        self.doomed: queue.Queue[str] = queue.Queue()
        self.wake = threading.Event()
        self.stopping = False
        self.thread = threading.Thread(target=self._work, name="test-databases-ahead", daemon=True)
        self.thread.start()

    def _work(self) -> None:
        while not self.stopping:
            try:
                try:
                    self.server.drop(self.doomed.get_nowait())
                    continue
                except queue.Empty:
                    pass
                if self.ready.qsize() < self.READY:
                    self.ready.put(self.server.create(template=self.template))
                    continue
            except Exception:  # noqa: BLE001 - a server in trouble: the tests make their own and see why
                self.stopping = True
                return
            self.wake.wait(1.0)
            self.wake.clear()

    def take(self) -> str:
        try:
            name = self.ready.get_nowait()
        except queue.Empty:
            name = self.server.create(template=self.template)
        self.wake.set()
        return name

    def drop_later(self, name: str) -> None:
        if self.stopping:
            self.server.drop(name)
        else:
            self.doomed.put(name)
            self.wake.set()

    def close(self) -> None:
        self.stopping = True
        self.wake.set()
        self.thread.join()
        for waiting in (self.ready, self.doomed):
            while not waiting.empty():
                self.server.drop(waiting.get_nowait())


class Template:
    """The session's migrated template of one database kind."""

    def __init__(self, kind: str, folder: Path, server: PostgresServer | None):
        self.kind, self.server = kind, server
        if kind == "sqlite":
            self.path = folder / "template.db"
            _migrate(f"sqlite:///{self.path}")
        else:
            self.name = server.create()
            _migrate(server.url_for(self.name))
            self.ahead = Ahead(server, self.name)

    def databases(self, folder: Path) -> "Databases":
        return Databases(self, folder)

    def close(self) -> None:
        if self.kind == "postgresql":
            self.ahead.close()
            self.server.drop(self.name)


class Databases:
    """Databases for one test (or module): fresh, empty or copied; dropped by `close`."""

    def __init__(self, template: Template, folder: Path):
        self.template, self.kind, self.folder = template, template.kind, folder
        self.server = template.server
        self.created: list[str] = []
        self.count = 0

    def _new(self, source: str | None) -> str:
        if self.kind == "sqlite":
            self.count += 1
            path = self.folder / f"db{self.count}.db"
            if source:
                shutil.copy(source, path)
            return f"sqlite:///{path}"
        if source == self.template.name:
            name = self.template.ahead.take()
        else:
            name = self.server.create(template=source)
        self.created.append(name)
        return self.server.url_for(name)

    def fresh(self) -> str:
        """URL of a new database, migrated to head with the reference data loaded."""
        return self._new(str(self.template.path) if self.kind == "sqlite" else self.template.name)

    def empty(self) -> str:
        """URL of a new database without any tables."""
        return self._new(None)

    def for_instance(self, instance: Path, monkeypatch, migrated: bool = True) -> str:
        """Point the CLI (IDEAPANKKI_INSTANCE, IDEAPANKKI_DATABASE_URL) at INSTANCE and its database,
        and return the database's URL: the instance's own SQLite file, or a new PostgreSQL database;
        MIGRATED, a copy of the session's template (what `init` makes: a migration from nothing costs
        ~2 s a test), or empty (an empty SQLite instance is not made: `restore` wants none)."""
        monkeypatch.setenv("IDEAPANKKI_INSTANCE", str(instance))
        if self.kind == "sqlite":
            monkeypatch.delenv("IDEAPANKKI_DATABASE_URL", raising=False)
            if migrated:
                instance.mkdir(parents=True, exist_ok=True)
                shutil.copy(self.template.path, instance / "ideapankki.db")
            return f"sqlite:///{instance / 'ideapankki.db'}"
        url = self.fresh() if migrated else self.empty()
        monkeypatch.setenv("IDEAPANKKI_DATABASE_URL", url)
        return url

    def copy(self, url: str) -> str:
        """URL of a new database holding what URL's database holds (its connections must be closed)."""
        parsed = make_url(url)
        return self._new(parsed.database)

    def drop(self, url: str) -> None:
        """Remove URL's database now (a test that makes many)."""
        name = make_url(url).database
        if self.kind == "sqlite":
            for path in (Path(name), Path(f"{name}-wal"), Path(f"{name}-shm")):
                path.unlink(missing_ok=True)
        elif name in self.created:
            self.server.drop(name)
            self.created.remove(name)

    def close(self) -> None:
        """Drop this test's databases: on the Ahead thread (FORCE ends what the test left connected)."""
        for name in self.created:
            self.template.ahead.drop_later(name)
        self.created.clear()
