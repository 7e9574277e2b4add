"""Damage a search index in place, as a failing disk or a careless operator would (for tests)."""

from __future__ import annotations

import os
import shutil

import pytest

DAMAGE = ("delete-folder", "delete-generation", "delete-link", "delete-segment", "delete-toc", "delete-state",
          "truncate-segment", "halve-segment", "truncate-toc", "garbage-segment", "garbage-toc", "garbage-state",
          "wrong-state")


ON_BOTH = "delete-folder"  # the damage that leaves nothing to read: the whole index comes from the database
SQLITE_ONLY = pytest.mark.sqlite_only(
    f"the kinds of damage differ only in the index's files; the database's share (the rebuild reads it) is "
    f"the same for every kind, and [{ON_BOTH}] runs it on both")


def kinds(*names: str) -> list:
    """NAMES as parameters of a test of damage: ON_BOTH on both databases, the others on SQLite only
    (each kind on PostgreSQL cost a copy of the database and a rebuild, to prove again what ON_BOTH proves)."""
    return [name if name == ON_BOTH else pytest.param(name, marks=SQLITE_ONLY) for name in names]


def damage(root, kind: str) -> None:
    """Do KIND of damage to the index under ROOT, in place (as a disk or an operator would)."""
    current = (root / "current").resolve()
    segment, toc, state = next(current.glob("*.seg")), next(current.glob("*.toc")), current / "state.json"
    target = {"segment": segment, "toc": toc, "state": state}.get(kind.rsplit("-", 1)[-1])
    if kind == "delete-folder":
        shutil.rmtree(root)
    elif kind == "delete-generation":
        shutil.rmtree(current)
    elif kind == "delete-link":
        (root / "current").unlink()
    elif kind.startswith("delete-"):
        target.unlink()
    elif kind.startswith("truncate-"):
        os.truncate(target, 0)
    elif kind.startswith("halve-"):
        os.truncate(target, target.stat().st_size // 2)
    elif kind.startswith("garbage-"):
        data = bytearray(target.read_bytes())
        data[::7] = bytes((i * 131 + 7) % 256 for i in range(len(data[::7])))
        with open(target, "r+b") as fh:  # in place: readers holding the file see the change
            fh.write(data)
    elif kind == "wrong-state":
        state.write_text('{"applied_upto": "many", "unknown": 1}')
    else:
        raise ValueError(kind)
