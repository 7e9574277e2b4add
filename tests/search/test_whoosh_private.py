"""Whoosh is pinned to the version whose private names ideapankki/search/whoosh_private.py uses.

An upgrade that changes them fails here, naming the adapter, before a rebuild or a search
breaks in production.
"""

from __future__ import annotations

import re
from pathlib import Path

import whoosh

from ideapankki.search import whoosh_private

ROOT = Path(__file__).resolve().parents[2]
VERSION = ".".join(map(str, whoosh_private.WRITTEN_FOR))


def test_the_installed_whoosh_has_what_the_adapter_uses():
    assert whoosh_private.problems() == [], (
        f"ideapankki/search/whoosh_private.py relies on Whoosh internals that changed: {whoosh_private.problems()}")


def test_whoosh_is_pinned_to_the_version_the_adapter_was_written_for():
    assert whoosh.versionstring() == VERSION
    assert f'"whoosh-reloaded=={VERSION}"' in (ROOT / "pyproject.toml").read_text()
    assert re.search(rf"^whoosh-reloaded=={re.escape(VERSION)}$", (ROOT / "requirements.lock").read_text(), re.M)


def test_the_check_notices_a_missing_name(monkeypatch):
    monkeypatch.delattr(whoosh_private.SegmentWriter, "_commit_toc")
    assert "SegmentWriter._commit_toc is gone" in whoosh_private.problems()


def test_only_the_adapter_reaches_into_whoosh_private_names():
    """Private Whoosh attributes (obj._name on a Whoosh object) appear in no other search module."""
    private = ("_postwriter", "_blocklimit", "_write_block", "_read_ids", "_read_weights", "_next_block", "_perdoc",
               "_lenfield", "_segments", "_finalize_segment", "_close_segment", "_commit_toc", "_finish", "_ix",
               "_maxweight", "_exclude")
    for path in (ROOT / "ideapankki" / "search").glob("*.py"):
        if path.name == "whoosh_private.py":
            continue
        text = path.read_text()
        found = {name for name in private if re.search(rf"\.{name}\b", text)}
        assert not found, f"{path.name} uses Whoosh's {sorted(found)}: go through search/whoosh_private.py"
