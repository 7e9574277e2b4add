"""Facet counts under one filter, computed with the listing table (listing.py) once per site version.

A page filtered by one value (a type, a theme, a year…: most filtered listings, and every theme
page) counts each other facet's values among that value's entries: some fifty popcounts of
20,000-bit ints and a numpy pass over the municipalities' pairs, ~190 µs a page at 20,000
entries. Those counts depend only on the data, so the table computes them when it is built, for
every value of the facets with few values (not per municipality: some 300 rows for pages that
are rarer), as each other facet's present values in the listing's order (most entries first, then
by value as text) and their counts: small numpy arrays, some 100 KB at 20,000 entries.
"""

from __future__ import annotations

import numpy as np

CROSSED = ("type", "theme", "region", "year", "trial_status", "norm_status", "evidence")

Row = dict  # facet -> (indexes into the facet's values, in the order shown; their counts)


def build(values: dict, pairs: dict, flags) -> dict[tuple[str, object], Row]:
    """(facet, value) -> Row, for each value of the CROSSED facets. VALUES and PAIRS: the table's;
    FLAGS(bits): a value's bitset as one bool per position."""
    rows = {}
    for name in CROSSED:
        for value, bits in values.get(name, {}).items():
            in_scope = flags(bits)
            row = rows[(name, value)] = {}
            for other, (kept, positions, starts) in pairs.items():
                if other == name:
                    continue
                found = (np.add.reduceat(in_scope[positions], starts, dtype=np.int64) if len(kept)
                         else np.zeros(0, np.int64))
                present = np.flatnonzero(found)
                order = present[np.lexsort((present, -found[present]))]  # values sorted as str: index order
                row[other] = (order.astype(np.int32), found[order].astype(np.int32))
    return rows


def counted(row: Row, pairs: dict, name: str) -> list[tuple[object, int]]:
    """The (value, entries) of facet NAME in ROW, most first."""
    order, found = row[name]
    return list(zip(pairs[name][0][order].tolist(), found.tolist()))
