"""Rebuild a damaged index from the database in the background, without an operator.

A search that finds the index unreadable answers "unavailable" at once and asks the Healer
for a rebuild; the request never waits for it. The rebuild runs in one daemon thread per
process and takes the indexer lock, so across processes one writer rebuilds at a time; a
process that gets the lock after another one has already swapped in a sound generation
does nothing. It builds into a new folder and swaps it in (indexer.rebuild), so readers see
the damaged index or the complete new one, never a half-built one.
"""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy.engine import Engine

from . import indexer
from .store import IndexStore

log = logging.getLogger(__name__)

# A generation that fails again within this many seconds of its rebuild is not rebuilt again at
# once: the fault is then likely in the code or the disk, and rebuilding in a loop would not help.
COOLDOWN_S = 30.0


class Healer:
    """One background rebuild at a time for STORE, from ENGINE's published entries."""

    def __init__(self, store: IndexStore, engine: Engine, cooldown: float = COOLDOWN_S):
        self.store, self.engine, self.cooldown = store, engine, cooldown
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._last_start = float("-inf")
        self.last_error: str | None = None  # why the last rebuild failed (None after a success)
        self.rebuilt = 0  # rebuilds this process finished (for tests and logs)

    @property
    def rebuilding(self) -> bool:
        thread = self._thread
        return thread is not None and thread.is_alive()

    def damaged(self, cause: str, generation: str | None) -> bool:
        """Report that GENERATION (folder name, or None) cannot be read; start a rebuild if none runs.

        Returns True when a rebuild was started by this call.
        """
        with self._lock:
            if self.rebuilding or time.monotonic() - self._last_start < self.cooldown:
                return False
            log.error("search index %s is damaged (%s); rebuilding it from the database",
                      generation or self.store.current, cause)
            self._last_start = time.monotonic()
            thread = threading.Thread(target=self._rebuild, args=(generation,), name="search-index-rebuild",
                                      daemon=True)
            thread.start()
            self._thread = thread
            return True

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a running rebuild to end; True when none is running afterwards."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return not self.rebuilding

    def _rebuild(self, generation: str | None) -> None:
        started = time.monotonic()
        try:
            with self.store.writing(indexer.WRITER_TIMEOUT_S):
                if self._replaced(generation):
                    log.info("search index was already rebuilt by another process")
                    self.last_error = None
                    return
                count = indexer.rebuild_locked(self.store, self.engine)
        except Exception as exc:  # noqa: BLE001 - logged; the next failed read asks again
            self.last_error = f"{type(exc).__name__}: {exc}"
            log.exception("search index rebuild failed; search stays unavailable until a later try")
            return
        self.last_error = None
        self.rebuilt += 1
        log.warning("search index rebuilt after damage: %d published entries in %.1f s",
                    count, time.monotonic() - started)

    def _replaced(self, generation: str | None) -> bool:
        """Tell whether the current index is another, sound generation than the damaged one."""
        try:
            current = self.store.current.resolve(strict=True).name
        except OSError:
            return False
        return current != generation and self.store.verify() is None
