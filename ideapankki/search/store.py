"""The index on disk: generations swapped atomically, one writer at a time, state beside it.

Layout under the search folder:
    current -> gen-<n>     a symlink; replaced with os.replace, so readers see old or new, never half
    gen-<n>/               a complete Whoosh index, its state.json (applied change-log position)
                           and neighbours.sqlite (each entry's similar entries, neighbours.py),
                           complete once neighbours.done is there (an index without it is rebuilt)
    indexer.lock           held (flock) by whoever writes, across processes
    lemmas.sqlite          the Voikko analyses of indexed words (lemmas.py), shared by all processes

Index files are read with plain file reads, not mmap: a file truncated under a mapped reader
kills the process with SIGBUS, whereas a read error is an exception the site degrades on.
Postings are read once per segment anyway (vectors.SegmentCache), so little is lost.
"""

from __future__ import annotations

import fcntl
import io
import json
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterator

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile

from .analysis import ANALYZER_VERSION
from .lemmas import LemmaStore
from .schema import build_schema

WRITER_TIMEOUT_S = 30.0
STATE_FILE = "state.json"
SIMILAR_DONE = "neighbours.done"  # written when every entry's similar entries are in (neighbours.fill)
# What a generation's documents hold beyond the analysis (ANALYZER_VERSION): bumped when reads need
# something older documents lack, so that such an index is rebuilt like one of an older analysis, while
# the analyses in lemmas.sqlite stay valid. 1: each body's distinct tokens (schema.HIGHLIGHT_TOKENS);
# 2: stored fields without zlib (schema.PlainStoredCodec); 3: each document's tokens by analysed form
# (forms.HIGHLIGHT_FORMS); 4: those by token, and the body's plain flag for its tokens (schema.HIGHLIGHT_PLAIN);
# 5: the similar entries' shown rows beside their lists (neighbours.Lists.shown); 6: posting blocks without
# zlib, of up to schema.POSTING_BLOCK postings (schema.PlainStoredCodec); 7: the tokens with their forms
# looked up by form in hashed buckets, with where each is in the body (forms.HIGHLIGHT_FORMS; no plain flag).
LAYOUT = 7


@dataclass
class IndexState:
    """How far this index has applied the change log, and with which analysis."""

    analyzer_version: int = ANALYZER_VERSION
    finnish: str = "voikko"
    applied_upto: int = 0  # every change id ≤ this is applied (or was a rolled-back gap)
    applied_above: list[int] = field(default_factory=list)  # applied ids > applied_upto
    gaps: dict[str, float] = field(default_factory=dict)  # missing id → first seen missing (epoch s)
    # The highest entry id ever added to this generation (None: not known, from an older state file).
    # An entry with a higher id was never indexed here, so a catch-up need not open the index to
    # learn that a new draft or submission is absent from it.
    indexed_max: int | None = None
    layout: int = LAYOUT  # what the documents hold (LAYOUT); a state file without it: 0


class _Quiet:
    """An index file that closes quietly when collected, as a memory map did.

    Searchers close their files when they are replaced; one dropped with its thread or its
    index is collected, and its files with it (in a reference cycle, in any order).
    """

    def __del__(self):
        try:
            self.close()
        except (OSError, ValueError):  # pragma: no cover - closing a read-only file
            pass


class _RawIndexFile(_Quiet, io.FileIO):
    pass


class _IndexFile(_Quiet, io.BufferedReader):
    pass


class _Storage(FileStorage):
    """Whoosh's file storage without mmap, reading through _IndexFile."""

    def __init__(self, path: str):
        super().__init__(path, supports_mmap=False)

    def open_file(self, name, **kwargs):
        return StructFile(_IndexFile(_RawIndexFile(self._fpath(name), "rb")), name=name, **kwargs)


def open_dir(directory: Path):
    """Open the Whoosh index in DIRECTORY without memory-mapping its files (see the module docstring)."""
    return _Storage(str(directory)).open_index()


class IndexStore:
    """The on-disk index of one server."""

    def __init__(self, root: Path, finnish: str = "voikko"):
        self.root = Path(root)
        self.finnish = finnish
        self.root.mkdir(parents=True, exist_ok=True)
        self.current = self.root / "current"
        self.lemmas = LemmaStore.shared(self.root / "lemmas.sqlite")
        self._verified: tuple | None = None  # the index version verify_once last found sound

    @contextmanager
    def writing(self, timeout: float = WRITER_TIMEOUT_S) -> Iterator[None]:
        """Hold the cross-process indexer lock, waiting up to TIMEOUT seconds (TimeoutError after)."""
        self.root.mkdir(parents=True, exist_ok=True)  # someone may have deleted the whole folder
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
        """Tell whether a current index is there (its table of contents; verify() reads it)."""
        return self.current.is_dir() and any(self.current.glob("_MAIN_*.toc"))

    def target(self) -> Path:
        """The current generation's folder, from the link alone: one readlink, where Path.resolve()
        looks at every component of the path (a search asks before each use of its searcher)."""
        return self.root / os.readlink(self.current)

    def open(self):
        """Open the current index for reading or writing."""
        return open_dir(self.current)

    def read_state(self) -> IndexState | None:
        try:
            data = json.loads((self.current / STATE_FILE).read_text())
            state = IndexState(**{"layout": 0, **data})
        except (OSError, ValueError, TypeError):  # missing, garbage, or JSON of another shape
            return None
        valid = (isinstance(state.applied_upto, int) and isinstance(state.applied_above, list)
                 and all(isinstance(i, int) for i in state.applied_above) and isinstance(state.gaps, dict)
                 and (state.indexed_max is None or isinstance(state.indexed_max, int))
                 and isinstance(state.layout, int))
        return state if valid else None

    def write_state(self, state: IndexState, directory: Path | None = None) -> None:
        """Write STATE atomically (call while holding the lock)."""
        target = Path(directory or self.current.resolve()) / STATE_FILE
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(state)))
        os.replace(tmp, target)

    def is_current(self) -> bool:
        """Tell whether the index exists, was built with this analysis and layout and has its similar entries."""
        state = self.read_state()
        return (self.exists() and state is not None and state.analyzer_version == ANALYZER_VERSION
                and state.layout == LAYOUT and state.finnish == self.finnish
                and (self.current / SIMILAR_DONE).exists())

    def verify(self) -> str | None:
        """Open the current index afresh and every segment's files; return what is wrong, or None.

        Cheap (table of contents and segment directories only): damage inside postings shows
        when a search reads them, and is reported then (see Readers.run).
        """
        if self.read_state() is None:
            return "the index or its state file is missing or unreadable"
        try:
            ix = open_dir(self.current)
            try:
                with ix.reader() as reader:
                    reader.doc_count_all()
                    for name in reader.indexed_field_names():
                        reader.field_length(name)
            finally:
                ix.close()
        except Exception as exc:  # noqa: BLE001 - garbage in index files raises nearly anything
            return f"{type(exc).__name__}: {exc}"
        return None

    def verify_once(self) -> str | None:
        """verify(), unless this store already found the same index version sound: the generation
        and its table of contents (Whoosh writes a new one for each commit and never rewrites a
        file in place). Damage done later from outside shows when a search reads the files, at the
        next commit, in /healthz (verify) and in every new process; a catch-up then need not open
        the whole index only to learn that nothing is wrong (it ran after every write)."""
        try:
            tocs = sorted(self.current.glob("_MAIN_*.toc"))
            version = (str(self.current.resolve()),
                       tuple((toc.name, toc.stat().st_size, toc.stat().st_mtime_ns) for toc in tocs)) if tocs else None
        except OSError:  # a table of contents went away meanwhile: verify says what is missing
            version = None
        if version is not None and version == self._verified:
            return None
        problem = self.verify()
        self._verified = version if problem is None else None
        return problem

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
