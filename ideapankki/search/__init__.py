"""Full-text search: the only package that imports Whoosh. Its interface is SearchIndex.

The index is a projection of the database (published entries only), kept current from the
change log (EntryChange) and rebuildable at any time. A damaged index is never an error page:
reads raise IndexUnavailable (the site shows search as unavailable) and start a background
rebuild (healing.py); a catch-up that finds it damaged rebuilds it at once.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy.engine import Engine

from ..changes import site_version
from .filters import Filters
from . import indexer
from .analysis import voikko_available
from .healing import Healer
from .nearest import nearest_ids
from .query import Hit, SearchResponse, matching_ids, more_like, more_like_shown, run_search, similar_titles
from .reading import IndexUnavailable, Readers
from .store import IndexStore
from .thesaurus_cache import VocabularyCache

__all__ = ["SearchIndex", "open_index", "Filters", "SearchResponse", "Hit", "IndexUnavailable", "SORTS"]

log = logging.getLogger(__name__)
SORTS = ("relevance", "newest")


class SearchIndex:
    """One server's search index over ENGINE's published entries, stored under ROOT."""

    def __init__(self, root: Path, engine: Engine, finnish: str | None = None):
        self.finnish = finnish or ("voikko" if voikko_available() else "snowball")
        self.store = IndexStore(Path(root), self.finnish)
        self.engine = engine
        self.readers = Readers(self.store)
        self.healer = Healer(self.store, engine)
        self._current_at: tuple | None = None  # the site's version at which nothing was left to apply
        self._applied_at: tuple | None = None  # the site's version has_applied last found applied
        self.vocabulary = VocabularyCache(engine, self.voikko)  # the thesaurus, as of each search
        self._seen = threading.local()  # the site's version this thread just read (refresh_if_behind)

    @property
    def voikko(self) -> bool:
        return self.finnish == "voikko"

    def rebuild(self, progress=None) -> int:
        """Rebuild the whole index from the database (new folder, atomic swap); return its size.

        PROGRESS(done, total) hears of the entries indexed (ideapankki.progress.bar draws it)."""
        return indexer.rebuild(self.store, self.engine, progress)

    def catch_up(self, wait: bool = True) -> int:
        """Apply pending changes (building the index first if it is missing or outdated).

        With WAIT false, return 0 at once if another process is writing: it applies them.
        """
        try:
            return indexer.catch_up(self.store, self.engine, indexer.WRITER_TIMEOUT_S if wait else 0,
                                    self.readers.segments)
        except TimeoutError:
            if wait:
                raise
            return 0

    def refresh_if_behind(self, version: tuple | None = None) -> None:
        """Catch up before a read when other processes or servers changed entries.

        While the site's version (changes.site_version) is the one at which nothing was pending,
        nothing is: that costs two primary-key lookups instead of counting the log's tail. Never
        raises for a damaged index: the read that follows reports it (IndexUnavailable). VERSION:
        the site's version the caller has just read (a page's session), not to read it again.
        """
        version = self._seen.version = site_version(self.engine) if version is None else version
        if version == self._current_at:
            return
        if self.pending() == 0 and self.store.is_current():  # an index of an older analysis is rebuilt
            self._current_at = version
            return
        try:
            self.catch_up(wait=False)
        except Exception:  # noqa: BLE001 - the database is safe; reading shows what is left
            log.exception("search index catch-up failed before a read")

    def has_applied(self, version: tuple) -> bool:
        """Whether the index has applied every change up to VERSION (changes.site_version()), so a
        page built from it may carry that version's validators. One state-file read per version,
        not per request: a version once applied stays applied."""
        if version == self._applied_at:
            return True
        state = self.store.read_state()
        if state is None:
            return False
        change_id = version[0] or 0
        missing = change_id - state.applied_upto
        applied = set(state.applied_above)
        done = missing <= 0 or (missing <= len(applied)
                                and all(i in applied for i in range(state.applied_upto + 1, change_id + 1)))
        if done:
            self._applied_at = version
        return done

    def status(self) -> tuple[str, str | None]:
        """("ok" | "missing" | "damaged" | "rebuilding", the problem) for /healthz.

        A damaged index found here is rebuilt in the background, as after a failed search.
        """
        if self.healer.rebuilding:
            return "rebuilding", None
        problem = self.store.verify()
        if problem is None:
            return "ok", None
        missing = self.store.read_state() is None
        self.healer.damaged(problem, None if missing else self.store.current.resolve().name)
        return ("rebuilding" if self.healer.rebuilding else "missing" if missing else "damaged"), problem

    def pending(self) -> int:
        """Count changes not yet applied to this index (-1 when there is no index)."""
        return indexer.pending(self.store, self.engine)

    def lag_seconds(self) -> float:
        """Age of the oldest change not yet applied (0 when the index is current); for /healthz."""
        oldest = indexer.oldest_pending_at(self.store, self.engine)
        if oldest is None:
            return 0.0
        if oldest.tzinfo is None:  # SQLite keeps no zone; the column is written in UTC
            oldest = oldest.replace(tzinfo=timezone.utc)
        return max(0.0, (datetime.now(timezone.utc) - oldest).total_seconds())

    def search(self, text: str = "", filters: Filters | None = None, *, sort: str = "relevance", page: int = 1,
               per_page: int = 20, respell: bool = True) -> SearchResponse:
        """Search published entries; see ideapankki.search.query.run_search."""
        if sort not in SORTS:
            raise ValueError(f"unknown sort {sort!r}")
        version = self._thesaurus_version()
        thesaurus = self.vocabulary.current() if version is False else self.vocabulary.current(version)
        return self._reading(lambda: run_search(self.readers, text, filters or Filters(), sort=sort, page=page,
                                                per_page=per_page, voikko=self.voikko, respell=respell,
                                                thesaurus=thesaurus))

    def _thesaurus_version(self) -> int | None | bool:
        """The thesaurus version in the site's version refresh_if_behind just read on this thread
        (taken: it vouches for one search), or False: read it."""
        version, self._seen.version = getattr(self._seen, "version", None), None
        return version[-1] if version is not None else False

    def matching(self, text: str = "", filters: Filters | None = None) -> set[int]:
        """Ids of all the published entries a search for TEXT within FILTERS finds (followers' searches)."""
        thesaurus = self.vocabulary.current()
        return self._reading(lambda: matching_ids(self.readers, text, filters or Filters(), self.voikko, thesaurus))

    def nearest(self, text: str, limit: int = 5) -> list[int]:
        """Ids of the published entries nearest a query that found nothing (search.nearest)."""
        return self._reading(lambda: nearest_ids(self.readers, text, self.voikko, limit))

    def more_like(self, entry_id: int, limit: int = 5) -> list[int]:
        """Ids of the published entries most like ENTRY_ID, as of the index's last change."""
        return self._reading(lambda: more_like(self.readers, entry_id, limit))

    def more_like_shown(self, entry_id: int) -> list[list] | None:
        """ENTRY_ID's similar entries as the rows its page shows (id, slug, type, title, language),
        as of the index's last change; None when the index keeps none for it (read the database)."""
        return self._reading(lambda: more_like_shown(self.readers, entry_id))

    def similar(self, text: str, limit: int = 5) -> list[tuple[int, float]]:
        """(id, score) of published entries whose title or summary resemble TEXT."""
        return self._reading(lambda: similar_titles(self.readers, text, limit, self.voikko))

    def _reading(self, read):
        """Run READ; when the index cannot be read, start a rebuild and raise IndexUnavailable."""
        try:
            return read()
        except IndexUnavailable as exc:
            started = self.healer.damaged(str(exc), exc.generation)
            log.warning("search index unavailable (%s)%s", exc,
                        "; a rebuild is running" if self.healer.rebuilding else "", exc_info=started)
            raise


def open_index(config, engine: Engine) -> SearchIndex:
    """The index of CONFIG's instance over ENGINE: the one way the site and the CLI open it."""
    return SearchIndex(Path(config["INSTANCE_DIR"]) / "search", engine, config.get("SEARCH_FINNISH"))
