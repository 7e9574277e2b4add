"""Back up and restore an instance: the database and the few instance files that cannot be remade.

The search index and the open-data exports are projections of the database, so a backup
leaves them out (MANIFEST.json says so) and a restore rebuilds the index. Each database
kind has its own pair of functions; SQLite uses the online backup API, which copies a
consistent snapshot while the site keeps writing. PostgreSQL (pg_dump/pg_restore) slots
into `_BACKENDS` the same way.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy.engine import Engine

MANIFEST = "MANIFEST.json"
SQLITE_FILE = "ideapankki.db"
INSTANCE_FILES = ("secret_key",)  # generated once; losing it signs every user out
LEFT_OUT = {
    "search/": "the search index: rebuilt from the database by `ideapankki restore` (or `ideapankki reindex`)",
    "exports/": "the open-data files: derived from the database, written again on first download",
}
FORMAT = 1


class BackupError(RuntimeError):
    """The backup or restore cannot go ahead; the message says why and what to do."""


def _sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return Path(database)


def _counts(connection: sqlite3.Connection) -> dict:
    def count(table: str) -> int:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 - fixed names

    head = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    return {"counts": {"entries": count("entry"), "revisions": count("revision"), "audit_rows": count("transition")},
            "migration_head": ",".join(sorted(row[0] for row in head))}


def _sqlite_backup(engine: Engine, dest: Path) -> dict:
    """Copy a consistent snapshot into DEST/ideapankki.db: a single file, no WAL beside it."""
    source = sqlite3.connect(_sqlite_path(engine))
    target = sqlite3.connect(dest / SQLITE_FILE)
    try:
        source.backup(target)  # all pages in one step: one snapshot, whoever writes meanwhile
        target.execute("PRAGMA journal_mode=DELETE")
        return {"database": "sqlite", "database_file": SQLITE_FILE, **_counts(target)}
    finally:
        target.close()
        source.close()


def _sqlite_restore(src: Path, engine: Engine) -> None:
    """Write the backed-up database over ENGINE's file through the backup API (WAL-safe)."""
    path = _sqlite_path(engine)
    path.parent.mkdir(parents=True, exist_ok=True)
    engine.dispose()
    source = sqlite3.connect(f"file:{src / SQLITE_FILE}?mode=ro", uri=True)
    target = sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _sqlite_has_data(engine: Engine) -> bool:
    path = _sqlite_path(engine)
    return path.exists() and path.stat().st_size > 0


_BACKENDS = {"sqlite": (_sqlite_backup, _sqlite_restore, _sqlite_has_data)}


def _backend(engine: Engine):
    try:
        return _BACKENDS[engine.dialect.name]
    except KeyError:
        raise BackupError(f"backup of {engine.dialect.name} is not supported yet; use its own tools "
                          "(pg_dump/pg_restore for PostgreSQL)") from None


def backup(engine: Engine, instance: Path, dest: Path) -> dict:
    """Back up ENGINE's database and INSTANCE's files into the new or empty folder DEST."""
    dump, _restore, _has_data = _backend(engine)
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"{dest} is not empty; back up into a new folder")
    dest.mkdir(parents=True, exist_ok=True)
    manifest = {"format": FORMAT, "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                **dump(engine, dest), "instance_files": [], "left_out": LEFT_OUT}
    for name in INSTANCE_FILES:
        if (instance / name).is_file():
            shutil.copy2(instance / name, dest / name)
            manifest["instance_files"].append(name)
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


def read_manifest(src: Path) -> dict:
    """Return SRC's manifest, or raise BackupError when SRC is not a backup."""
    try:
        manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{src} is not an Ideapankki backup ({MANIFEST} unreadable: {exc})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{src}: backup format {manifest.get('format')!r} is not {FORMAT}")
    return manifest


def restore(src: Path, engine: Engine, instance: Path, *, force: bool = False) -> dict:
    """Restore SRC into ENGINE's database and INSTANCE, migrate it to head, rebuild the search index.

    Refuses (BackupError) when the instance already has a database or its files, unless FORCE.
    """
    from . import migrate
    from .search import SearchIndex

    manifest = read_manifest(src)
    _dump, load, has_data = _backend(engine)
    if manifest.get("database") != engine.dialect.name:
        raise BackupError(f"{src} holds a {manifest.get('database')} backup; this site uses {engine.dialect.name}")
    existing = [name for name in INSTANCE_FILES if (instance / name).exists()]
    if not force and (has_data(engine) or existing):
        raise BackupError(f"{instance} already has a database or {', '.join(existing) or 'files'}; "
                          "restore into a new instance, or pass --force to overwrite it")
    load(src, engine)
    for name in manifest.get("instance_files", []):
        shutil.copy2(src / name, instance / name)
        (instance / name).chmod(0o600)
    migrate.upgrade(engine)  # an older backup comes up to this code's schema
    indexed = SearchIndex(instance / "search", engine).rebuild()
    return {**manifest, "indexed": indexed}
