"""The index on disk: generations swapped atomically, one writer at a time, state beside it.

Layout under the search folder:
    current -> gen-<n>     a symlink; replaced with os.replace, so readers see old or new, never half
    gen-<n>/               a complete Whoosh index and its state.json (applied change-log position)
    indexer.lock           held (flock) by whoever writes, across processes
    lemmas.sqlite          the Voikko analyses of indexed words (lemmas.py), shared by all processes
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterator

from whoosh import index as whoosh_index

from .analysis import ANALYZER_VERSION
from .lemmas import LemmaStore
from .schema import build_schema

WRITER_TIMEOUT_S = 30.0
STATE_FILE = "state.json"


@dataclass
class IndexState:
    """How far this index has applied the change log, and with which analysis."""

    analyzer_version: int = ANALYZER_VERSION
    finnish: str = "voikko"
    applied_upto: int = 0  # every change id ≤ this is applied (or was a rolled-back gap)
    applied_above: list[int] = field(default_factory=list)  # applied ids > applied_upto
    gaps: dict[str, float] = field(default_factory=dict)  # missing id → first seen missing (epoch s)


class IndexStore:
    """The on-disk index of one server."""

    def __init__(self, root: Path, finnish: str = "voikko"):
        self.root = Path(root)
        self.finnish = finnish
        self.root.mkdir(parents=True, exist_ok=True)
        self.current = self.root / "current"
        self.lemmas = LemmaStore(self.root / "lemmas.sqlite")

    @contextmanager
    def writing(self, timeout: float = WRITER_TIMEOUT_S) -> Iterator[None]:
        """Hold the cross-process indexer lock, waiting up to TIMEOUT seconds (TimeoutError after)."""
        with open(self.root / "indexer.lock", "a+") as fh:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise TimeoutError(f"the search index at {self.root} is locked by another writer") from None
                    time.sleep(0.05)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def exists(self) -> bool:
        return self.current.exists() and whoosh_index.exists_in(str(self.current))

    def open(self):
        """Open the current index for reading or writing."""
        return whoosh_index.open_dir(str(self.current))

    def read_state(self) -> IndexState | None:
        try:
            data = json.loads((self.current / STATE_FILE).read_text())
        except (OSError, ValueError):
            return None
        return IndexState(**data)

    def write_state(self, state: IndexState, directory: Path | None = None) -> None:
        """Write STATE atomically (call while holding the lock)."""
        target = Path(directory or self.current.resolve()) / STATE_FILE
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(state)))
        os.replace(tmp, target)

    def is_current(self) -> bool:
        """Tell whether the index exists and was built with this analysis."""
        state = self.read_state()
        return (self.exists() and state is not None and state.analyzer_version == ANALYZER_VERSION
                and state.finnish == self.finnish)

    def new_generation(self) -> Path:
        """Create an empty index in a fresh folder (not yet current)."""
        directory = self.root / f"gen-{time.time_ns()}"
        directory.mkdir()
        whoosh_index.create_in(str(directory), build_schema(self.finnish))
        return directory

    def swap_in(self, directory: Path) -> None:
        """Make DIRECTORY the current index atomically and remove older generations."""
        link = self.root / f"current.{os.getpid()}.tmp"
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(directory.name)
        os.replace(link, self.current)
        for old in self.root.glob("gen-*"):
            if old.name != directory.name:
                shutil.rmtree(old, ignore_errors=True)
