"""Progress of long commands (reindex, import, vocabulary import) on a terminal: done, rate, time left.

Shown only when standard error is a terminal and the CI variable is not set: in a pipe, a log
file or CI the command prints its summary line alone. Uses click's own progress bar.
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from typing import Callable, Iterator

import click

Report = Callable[[int, int], None]  # (done, total)


def shown(stream=None) -> bool:
    """Whether a progress bar belongs on STREAM (standard error): a terminal, outside CI."""
    stream = stream or sys.stderr
    return bool(getattr(stream, "isatty", lambda: False)()) and not os.environ.get("CI")


@contextmanager
def bar(label: str, stream=None, unit: str = "entries") -> Iterator[Report | None]:
    """A REPORT(done, total) callback drawing a bar on STREAM (the rate in UNIT/s), or None where none is shown."""
    stream = stream or sys.stderr
    if not shown(stream):
        yield None
        return
    started = time.monotonic()
    with click.progressbar(length=1, label=label, file=stream, show_pos=True, show_eta=True,
                           item_show_func=lambda rate: rate) as progress:
        def report(done: int, total: int) -> None:
            progress.length = max(total, 1)
            rate = done / max(time.monotonic() - started, 1e-6)
            progress.update(done - progress.pos, current_item=f"{rate:,.0f} {unit}/s")

        yield report
