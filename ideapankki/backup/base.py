"""What every database kind's backup shares: the error, the file names, the row counts."""

from __future__ import annotations

from typing import Callable, Sequence

COUNTED = {"entries": "entry", "revisions": "revision", "audit_rows": "transition"}


class BackupError(RuntimeError):
    """The backup or restore cannot go ahead; the message says why and what to do."""


def counts(query: Callable[[str], Sequence[tuple]]) -> dict:
    """Row counts and the migration head, read through QUERY (SQL → rows) from the copied snapshot."""
    found = {key: query(f"SELECT count(*) FROM {table}")[0][0]  # noqa: S608 - fixed names
             for key, table in COUNTED.items()}
    head = query("SELECT version_num FROM alembic_version")
    return {"counts": found, "migration_head": ",".join(sorted(row[0] for row in head))}
