"""Back up and restore an instance: the database and the few instance files that cannot be remade.

The search index and the open-data exports are projections of the database, so a backup
leaves them out (MANIFEST.json says so) and a restore rebuilds the index. Each database
kind has its own pair of functions; SQLite uses the online backup API, which copies a
consistent snapshot while the site keeps writing (backup/sqlite.py); PostgreSQL uses
pg_dump/pg_restore in one snapshot (backup/postgresql.py).
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy.engine import Engine

from . import postgresql, sqlite
from .base import BackupError

__all__ = ["BackupError", "backup", "read_manifest", "restore"]

MANIFEST = "MANIFEST.json"
INSTANCE_FILES = ("secret_key",)  # generated once; losing it signs every user out
LEFT_OUT = {
    "search/": "the search index: rebuilt from the database by `ideapankki restore` (or `ideapankki reindex`)",
    "exports/": "the open-data files: derived from the database, written again on first download",
}
FORMAT = 1
_BACKENDS = {"sqlite": sqlite, "postgresql": postgresql}  # each: dump, load, has_data


def _backend(engine: Engine):
    try:
        return _BACKENDS[engine.dialect.name]
    except KeyError:
        raise BackupError(f"backup of {engine.dialect.name} databases is not supported") from None


def backup(engine: Engine, instance: Path, dest: Path) -> dict:
    """Back up ENGINE's database and INSTANCE's files into the new or empty folder DEST."""
    kind = _backend(engine)
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"{dest} is not empty; back up into a new folder")
    dest.mkdir(parents=True, exist_ok=True)
    manifest = {"format": FORMAT, "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                **kind.dump(engine, dest), "instance_files": [], "left_out": LEFT_OUT}
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
    from .. import migrate
    from ..search import SearchIndex

    manifest = read_manifest(src)
    kind = _backend(engine)
    if manifest.get("database") != engine.dialect.name:
        raise BackupError(f"{src} holds a {manifest.get('database')} backup; this site uses {engine.dialect.name}")
    existing = [name for name in INSTANCE_FILES if (instance / name).exists()]
    if not force and (kind.has_data(engine) or existing):
        raise BackupError(f"{instance} already has a database or {', '.join(existing) or 'files'}; "
                          "restore into a new instance, or pass --force to overwrite it")
    instance.mkdir(parents=True, exist_ok=True)
    kind.load(src, manifest, engine)
    for name in manifest.get("instance_files", []):
        shutil.copy2(src / name, instance / name)
        (instance / name).chmod(0o600)
    migrate.upgrade(engine)  # an older backup comes up to this code's schema
    indexed = SearchIndex(instance / "search", engine).rebuild()
    return {**manifest, "indexed": indexed}
