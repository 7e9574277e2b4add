"""Work split across forked processes, for a rebuild: a share of the items each, each result
back to the parent as it arrives, progress from a shared counter, and no child left running when
one fails or dies. bulk.py writes the index's segments this way, neighbours.py the similar entries.
"""

from __future__ import annotations

import gc
import multiprocessing
import queue
import traceback
from typing import Callable

from . import voikko

POLL_S = 1.0

Work = Callable[[list, tuple[int, int], object], object]  # (share, (k, n), done counter) -> result


def run(items: list, procs: int, work: Work, deliver: Callable[[int, object], None], what: str,
        progress: Callable[[int, int], None] | None = None) -> None:
    """Split ITEMS into PROCS shares; child k of n returns WORK(share, (k, n), done), and the parent
    hands each result to DELIVER(k, result) as it comes. A child adds what it has done to DONE
    (a multiprocessing Value) for PROGRESS(done, len(items)), called about once a POLL_S.
    Raises RuntimeError naming WHAT when a child fails or dies; the other children are killed."""
    context = multiprocessing.get_context("fork")
    done = context.Value("q", 0)
    results = context.Queue()
    size = -(-len(items) // procs)
    shares = [items[start:start + size] for start in range(0, len(items), size)]
    children = [context.Process(target=_child, args=(work, share, (number, len(shares)), results, done), daemon=True)
                for number, share in enumerate(shares)]
    try:
        for child in children:
            child.start()
        received = 0
        while received < len(children):
            if progress is not None:
                progress(done.value, len(items))
            try:
                number, result, failure = results.get(timeout=POLL_S)
            except queue.Empty:
                dead = [child.exitcode for child in children if child.exitcode not in (None, 0)]
                if dead:
                    raise RuntimeError(f"a {what} process died (exit codes {dead})") from None
                continue
            if failure is not None:
                raise RuntimeError(f"{what} failed in a child process:\n{failure}")
            deliver(number, result)
            received += 1
        for child in children:
            child.join()
    finally:
        for child in children:
            if child.is_alive():
                child.kill()
            if child.pid is not None:
                child.join()
        results.close()
        results.join_thread()


def _child(work: Work, share: list, turn: tuple[int, int], results, done) -> None:
    gc.enable()  # a web worker's rebuild forks from a process that collects between requests only
    voikko.use_local()  # new words are analysed here, in parallel, not queued at the one service
    try:
        results.put((turn[0], work(share, turn, done), None))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises
        results.put((turn[0], None, traceback.format_exc()))
