"""PostgreSQL backups with pg_dump/pg_restore (custom format), the only place that runs them.

The dump is taken in an exported snapshot: the row counts in the manifest and the dump come
from the same instant, however much the site writes meanwhile. The tools are looked up in
IDEAPANKKI_PG_BINDIR, `pg_config --bindir`, the newest /usr/lib/postgresql/*/bin, then PATH;
pg_dump must be as new as the server.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .base import BackupError, counts

DUMP_FILE = "ideapankki.dump"
BINDIR_VARIABLE = "IDEAPANKKI_PG_BINDIR"


def _bindirs() -> list[str]:
    found = [os.environ.get(BINDIR_VARIABLE, "")]
    try:
        found.append(subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, timeout=10,
                                    check=True).stdout.strip())
    except (OSError, subprocess.SubprocessError):
        pass
    versions = glob.glob("/usr/lib/postgresql/*/bin")
    found += sorted(versions, key=lambda p: [int(x) for x in Path(p).parent.name.split(".") if x.isdigit()],
                    reverse=True)
    return [d for d in found if d]


def tool(name: str) -> str:
    """Path of the PostgreSQL program NAME (pg_dump, pg_restore), or a BackupError saying how to get it."""
    for directory in _bindirs():
        candidate = Path(directory) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    on_path = shutil.which(name)
    if on_path:
        return on_path
    raise BackupError(f"{name} not found: install PostgreSQL's client programs (Debian: postgresql-client, "
                      f"the server's major version or newer) or set {BINDIR_VARIABLE}")


def _run(program: str, arguments: list[str], engine: Engine) -> None:
    """Run PROGRAM against ENGINE's database; the password goes in the environment, not argv."""
    url = engine.url
    conninfo = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    env = {**os.environ, **({"PGPASSWORD": str(url.password)} if url.password else {})}
    result = subprocess.run([tool(program), *arguments, "--dbname", conninfo], env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{program} failed (exit {result.returncode}): {result.stderr.strip()}")


def _connect(engine: Engine):
    try:
        return engine.connect()
    except sa.exc.OperationalError as exc:
        raise BackupError(f"cannot connect to {engine.url.render_as_string()}: {exc.orig}") from None


def dump(engine: Engine, dest: Path) -> dict:
    """pg_dump the database into DEST/ideapankki.dump and count its rows, both in one snapshot."""
    with _connect(engine) as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot = connection.execute(sa.text("SELECT pg_export_snapshot()")).scalar_one()
            found = counts(lambda sql: connection.exec_driver_sql(sql).all())
            version = connection.exec_driver_sql("SHOW server_version").scalar_one()
            _run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                             f"--file={dest / DUMP_FILE}"], engine)
    return {"database": "postgresql", "database_file": DUMP_FILE, "server_version": version, **found}


def _schema_objects(connection) -> tuple[list[str], list[str]]:
    tables = connection.exec_driver_sql(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()").scalars().all()
    sequences = connection.exec_driver_sql(
        "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()").scalars().all()
    return list(tables), list(sequences)


def has_data(engine: Engine) -> bool:
    with _connect(engine) as connection:
        tables, _sequences = _schema_objects(connection)
    return bool(tables)


def load(src: Path, manifest: dict, engine: Engine) -> None:
    """Empty ENGINE's schema (the caller has checked --force), then pg_restore the dump in one transaction.

    The database itself must exist (`createdb`): the site's role need not be allowed to create one.
    """
    with _connect(engine) as connection, connection.begin():
        tables, sequences = _schema_objects(connection)
        quote = connection.dialect.identifier_preparer.quote
        if tables:
            connection.exec_driver_sql(f"DROP TABLE {', '.join(map(quote, tables))} CASCADE")
        for sequence in sequences:
            connection.exec_driver_sql(f"DROP SEQUENCE IF EXISTS {quote(sequence)} CASCADE")
    engine.dispose()
    _run("pg_restore", ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                        str(src / manifest["database_file"])], engine)
