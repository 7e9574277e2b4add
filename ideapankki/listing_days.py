"""The cards' three dates (published, period start and end) of every published entry, kept with
the listing table (listing.py) as day numbers, so that a listing's card query stops before them.

An entry's row holds its two bodies (some 4 KB) before its dates: SQLite reaches a column after
them by walking the row's overflow pages, and reading the dates cost more than the rest of the
twenty cards (a random page of twenty: ~250 µs against ~160 µs without them, at 20,000 entries).
The listing table reads every published entry's dates anyway (its years, its order), so it keeps
them: two numpy arrays, some 0.5 MB at 20,000 entries, built once per site version.
"""

from __future__ import annotations

from datetime import date

import numpy as np

NONE = 0  # no date (date.toordinal() is at least 1)


def build(rows) -> tuple[np.ndarray, np.ndarray]:
    """From (id, published_on, period_start, period_end) rows: (the ids sorted, each one's three
    dates as day numbers, NONE for none, in the same order)."""
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    days = np.array([[day.toordinal() if day else NONE for day in row[1:4]] for row in rows],
                    dtype=np.int32).reshape(len(rows), 3)
    order = np.argsort(ids, kind="stable")
    return ids[order], days[order]


def dates(kept: tuple[np.ndarray, np.ndarray], ids: list[int]) -> list[tuple] | None:
    """The (published_on, period_start, period_end) of each of IDS, or None if one of them is not
    in KEPT (an entry published after the table was built: the caller reads the dates itself)."""
    sorted_ids, days = kept
    if not len(sorted_ids) or not ids:
        return None
    at = sorted_ids.searchsorted(ids)
    if int(at.max()) >= len(sorted_ids) or sorted_ids[at].tolist() != list(ids):
        return None
    day = date.fromordinal
    return [(day(a) if a != NONE else None, day(b) if b != NONE else None, day(c) if c != NONE else None)
            for a, b, c in days[at].tolist()]
