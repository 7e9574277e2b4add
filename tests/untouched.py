"""WriteWatch: did anything change an app's database or instance folder since start()?

A test may give the next test the same database copy only when the answer is a certain no (the
authorization matrix's refusals). It errs on the side of "wrote": any statement on the engine
other than a read or transaction control, any file in the instance folder added, removed or
touched, and on SQLite a commit seen by an independent connection (PRAGMA data_version moves
whenever another connection commits, even one that bypasses SQLAlchemy).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlalchemy as sa

# Statements that change nothing: reads and transaction control (SQLite's BEGIN IMMEDIATE takes
# a lock, every POST request's transaction begins with it).
_QUIET = ("SELECT", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "SHOW")
_LOUD_IN_SELECT = ("NEXTVAL", "SETVAL", " INTO ")  # a SELECT that moves a sequence or fills a table


def changes_data(statement: str) -> bool:
    """True unless STATEMENT certainly changes no data."""
    text = statement.lstrip().upper()
    if not text.startswith(_QUIET):
        return True
    return text.startswith("SELECT") and any(word in text for word in _LOUD_IN_SELECT)


def _files(folder: Path) -> dict:
    found = {}
    for root, _dirs, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            try:
                stat = os.stat(path)
            except FileNotFoundError:
                continue
            found[path] = (stat.st_size, stat.st_mtime_ns)
    return found


class WriteWatch:
    def __init__(self, engine: sa.Engine, instance: Path):
        self.engine, self.instance = engine, Path(instance)
        self.loud: list[str] = []
        sa.event.listen(engine, "before_cursor_execute", self._statement)
        self.sqlite = None
        if engine.dialect.name == "sqlite":
            self.sqlite = sqlite3.connect(f"file:{engine.url.database}?mode=ro", uri=True)
        self.files: dict = {}
        self.version = None

    def _statement(self, _connection, _cursor, statement, _parameters, _context, _executemany):
        if changes_data(statement):
            self.loud.append(statement)

    def _data_version(self):
        return self.sqlite.execute("PRAGMA data_version").fetchone()[0] if self.sqlite else None

    def start(self) -> None:
        self.loud.clear()
        self.files = _files(self.instance)
        self.version = self._data_version()

    def wrote(self) -> bool:
        return bool(self.loud) or _files(self.instance) != self.files or self._data_version() != self.version

    def close(self) -> None:
        sa.event.remove(self.engine, "before_cursor_execute", self._statement)
        if self.sqlite:
            self.sqlite.close()
