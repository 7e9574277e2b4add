"""SQLite backups through the online backup API: a consistent copy while the site keeps writing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import Engine

from .base import BackupError, counts

DATABASE_FILE = "ideapankki.db"


def _path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return Path(database)


def dump(engine: Engine, dest: Path) -> dict:
    """Copy a consistent snapshot into DEST/ideapankki.db: a single file, no WAL beside it."""
    source = sqlite3.connect(_path(engine))
    target = sqlite3.connect(dest / DATABASE_FILE)
    try:
        source.backup(target)  # all pages in one step: one snapshot, whoever writes meanwhile
        target.execute("PRAGMA journal_mode=DELETE")
        return {"database": "sqlite", "database_file": DATABASE_FILE,
                **counts(lambda sql: target.execute(sql).fetchall())}
    finally:
        target.close()
        source.close()


def load(src: Path, manifest: dict, engine: Engine) -> None:
    """Write the backed-up database over ENGINE's file through the backup API (WAL-safe)."""
    path = _path(engine)
    path.parent.mkdir(parents=True, exist_ok=True)
    engine.dispose()
    source = sqlite3.connect(f"file:{src / manifest['database_file']}?mode=ro", uri=True)
    target = sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def has_data(engine: Engine) -> bool:
    path = _path(engine)
    return path.exists() and path.stat().st_size > 0
