"""Facet counts are the same whether a scope is counted from its documents' rows or over the whole matrix."""

import random

from ideapankki.search.reading import FacetBits
from ideapankki.search.schema import FACETS


def _bits(rng: random.Random, size: int, share: float) -> int:
    return sum(1 << d for d in range(size) if rng.random() < share)


def test_small_and_large_scopes_count_alike():
    rng = random.Random(7)
    size = 3_000
    masks = {facet: {f"v{k}": _bits(rng, size, rng.choice((0.001, 0.02, 0.3))) for k in range(rng.randint(0, 12))}
             for facet in FACETS}
    masks = {facet: {v: m for v, m in by_value.items() if m} for facet, by_value in masks.items()}
    bits = FacetBits(size, (1 << size) - 1, masks)
    for share in (0.0, 0.001, 0.01, 0.05, 0.2, 0.9):
        scope = _bits(rng, size, share)
        narrow = _bits(rng, size, 0.5) & scope
        allowed = {facet: (narrow if facet == "type" else scope) for facet in FACETS}
        sparse = bits.count(allowed)
        bits._sparse_below, dense = 0, bits.count(allowed)
        bits._sparse_below = size + 1
        assert sparse == dense == bits.count(allowed)
        expected = {facet: sorted(((v, (m & allowed[facet]).bit_count()) for v, m in masks[facet].items()
                                   if m & allowed[facet]), key=lambda vc: (-vc[1], vc[0])) for facet in FACETS}
        assert dense == expected


def test_an_index_without_facet_values_counts_nothing():
    bits = FacetBits(10, (1 << 10) - 1, {facet: {} for facet in FACETS})
    assert bits.count({facet: 0b1011 for facet in FACETS}) == {facet: [] for facet in FACETS}
