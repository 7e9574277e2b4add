"""A lasting cache of Voikko analyses beside the index, and learning new words into it.

Voikko costs about 0.4 ms a distinct word; a bank of 20,000 entries has some 70,000 distinct
words. Kept in a small SQLite file, the analyses are made once: a rebuild, every web worker's
highlights and the query parser read them instead of asking Voikko again. The file is keyed by
the analyzer version and the Voikko package version, so a change in either starts it afresh.
Only words of indexed texts are stored, never what readers type.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from importlib import metadata
from pathlib import Path
from typing import Iterable

from . import analysis, voikko
from .analysis import ANALYZER_VERSION, Lemma

log = logging.getLogger(__name__)

ALONGSIDE_CHUNK = 1000  # words analysed between looks at what parallel processes learned
_SEP = "\x1f"
_SHARED: dict[Path, "LemmaStore"] = {}
_SHARED_LOCK = threading.Lock()


def _version() -> str:
    if not analysis.voikko_available():
        return ""
    try:
        return f"{ANALYZER_VERSION}:pyvoikko-{metadata.version('pyvoikko')}"
    except metadata.PackageNotFoundError:  # pragma: no cover - installed without metadata
        return f"{ANALYZER_VERSION}:pyvoikko"


class LemmaStore:
    """The analyses of indexed words in PATH (SQLite), for every process of one instance.

    Its words are also the vocabulary for "did you mean" (spelling.py): words of texts that
    were published, checked against the current index before one is offered.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self.version = _version()
        # The stored words, as a dict's keys: a set of 21,819 words takes 2.1 MB (its table grows fourfold), a dict
        # 0.4, and the master's is in every worker's resident size. Looked up the same way.
        self.words: dict[str, None] = {}
        self._loaded = False
        self._rowid = 0
        self._sorted: list[str] | None = None
        self._lock = threading.Lock()

    @classmethod
    def shared(cls, path: Path) -> "LemmaStore":
        """This process's one store of PATH. A server's master loads it before forking its
        workers (serving.share_with_workers), which then use those pages instead of their own."""
        key = Path(path).resolve()
        with _SHARED_LOCK:
            found = _SHARED.get(key)
            if found is None:
                found = _SHARED[key] = cls(key)
            return found

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("CREATE TABLE IF NOT EXISTS lemma (word TEXT PRIMARY KEY, forms TEXT NOT NULL, "
                   "parts TEXT NOT NULL, known INTEGER NOT NULL)")
        row = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        if row is None or row[0] != self.version:
            with db:
                db.execute("DELETE FROM lemma")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (self.version,))
        return db

    def load(self) -> int:
        """Prime this process's cache from the file the first time; return the words read."""
        return 0 if self._loaded else self.refresh()

    def refresh(self) -> int:
        """Read the words other processes added since the last read."""
        if not self.version:
            return 0  # without Voikko there is nothing worth keeping
        with self._lock:
            self._loaded = True
            try:
                db = self._connect()
                try:
                    rows = db.execute("SELECT rowid, word, forms, parts, known FROM lemma WHERE rowid > ?",
                                      (self._rowid,)).fetchall()
                finally:
                    db.close()
            except sqlite3.Error:
                log.warning("cannot read the lemma cache %s; analysing afresh", self.path, exc_info=True)
                return 0
            # Inflected words share their analyses (a fifth as many distinct ones as words, and a
            # sixteenth as many distinct strings in them): one Lemma each, not one a word, is
            # some 6 of the 12 MB of 20,000 entries' words in every worker (the master's pages).
            same: dict[tuple, Lemma] = {}
            for rowid, word, forms, parts, known in rows:
                key = (forms, parts, bool(known))
                lemma = same.get(key)
                if lemma is None:
                    lemma = same[key] = Lemma(_split(forms), _split(parts), bool(known))
                analysis.LEMMAS.setdefault(word, lemma)
                self.words[word] = None
                self._rowid = max(self._rowid, rowid)
            if rows:
                self._sorted = None
        return len(rows)

    def vocabulary(self) -> list[str]:
        """The known words, sorted (what Whoosh's list corrector needs)."""
        words = self._sorted
        if words is None:
            words = self._sorted = sorted(self.words)
        return words

    def add(self, lemmas: dict[str, Lemma]) -> None:
        """Keep LEMMAS for the next process (best effort: the cache is never the truth)."""
        if not lemmas:
            return
        with self._lock:
            self.words.update(dict.fromkeys(lemmas))
            self._sorted = None
        if not self.version:
            return
        rows = [(w, _SEP.join(lem.forms), _SEP.join(lem.parts), int(lem.known)) for w, lem in lemmas.items()]
        try:
            db = self._connect()
            try:
                with db:
                    db.executemany("INSERT OR IGNORE INTO lemma VALUES (?, ?, ?, ?)", rows)
            finally:
                db.close()
        except sqlite3.Error:
            log.warning("cannot write the lemma cache %s", self.path, exc_info=True)


def prime(words: Iterable[str]) -> int:
    """Analyse the WORDS not yet in this process's cache in one batch (one message to the Voikko
    service, not one a word) and keep them in this process only; return how many were analysed."""
    missing = sorted({w for w in words if w not in analysis.LEMMAS and not analysis.is_literal(w)})
    if not missing or not analysis.voikko_available():
        return 0
    try:
        answers = voikko.analyse_many(missing)
    except Exception:  # noqa: BLE001 - each word is analysed on its own when it is needed, then
        log.warning("Voikko failed on a batch of %d words", len(missing), exc_info=True)
        return 0
    for word, analyses in zip(missing, answers):
        analysis.LEMMAS.setdefault(word, analysis.analyse_word(word, analyses))
    return len(missing)


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split(_SEP)) if text else ()


def learn(words: Iterable[str], store: LemmaStore, turn: tuple[int, int] = (0, 1)) -> int:
    """Analyse the WORDS not yet known and keep them; return the number analysed.

    Indexing afterwards finds every word in the cache. TURN = (k, n) says this is process k
    of n learning the words of their own documents at the same time (a parallel rebuild):
    each starts at another point of its sorted list and picks up the others' words as it goes,
    so a word common to all is analysed about once.
    """
    store.load()
    words = {w for w in words if not analysis.is_literal(w)}
    missing = sorted(w for w in words if w not in analysis.LEMMAS)
    # words this process analysed earlier (say for a query) are not in the file yet
    store.add({w: analysis.LEMMAS[w] for w in words if w not in store.words and w in analysis.LEMMAS})
    return _learn_alongside(missing, store, *turn) if missing else 0


def _learn_alongside(missing: list[str], store: LemmaStore, k: int, n: int) -> int:
    start = len(missing) * k // n
    ordered = missing[start:] + missing[:start]
    learned = 0
    for begin in range(0, len(ordered), ALONGSIDE_CHUNK):
        if begin:
            store.refresh()  # what the other processes learned meanwhile
        found = {word: analysis.analyse_word(word) for word in ordered[begin:begin + ALONGSIDE_CHUNK]
                 if word not in analysis.LEMMAS}
        analysis.LEMMAS.update(found)
        store.add(found)
        learned += len(found)
    return learned
