"""Listing counts are cached per process, but never outlive a change to an entry."""

from __future__ import annotations

from factories import make_entry
from ideapankki import browse
from ideapankki.web.templating import page_numbers


def _types(session) -> dict:
    return dict(browse.facet_counts(session, browse.Filters())["type"].counts)


def test_counts_follow_publishing_editing_and_rollback(session):
    make_entry(session, "eka")
    assert _types(session) == {"practice": 1}
    make_entry(session, "toka", type="idea")
    assert _types(session) == {"practice": 1, "idea": 1}
    entry = browse.get_published(session, "toka")
    entry.type = "practice"
    session.add(entry)
    session.commit()
    assert _types(session) == {"practice": 2}
    make_entry(session, "kolmas", type="idea", commit=False)
    session.flush()
    assert _types(session) == {"practice": 2, "idea": 1}  # this transaction sees its own write
    session.rollback()
    assert _types(session) == {"practice": 2}


def test_callers_may_change_what_they_get(session):
    make_entry(session, "eka")
    browse.facet_counts(session, browse.Filters())["type"].counts.clear()
    assert _types(session) == {"practice": 1}


def test_page_numbers_keep_the_ends_and_the_neighbours():
    assert page_numbers(2, 3) == [1, 2, 3]
    assert page_numbers(1, 9) == list(range(1, 10))
    assert page_numbers(500, 1000) == [1, None, 498, 499, 500, 501, 502, None, 1000]
    assert page_numbers(5, 1000) == [1, 2, 3, 4, 5, 6, 7, None, 1000]  # no gap of a single page


def test_counts_under_one_filter_are_the_ones_counted_per_page(session):
    """listing_cross: the counts computed at build for each one-filter page, and the unfiltered
    pages' slices, are what the bitsets give."""
    from dataclasses import replace

    for n in range(14):
        make_entry(session, f"e{n}", type=("practice", "idea", "norm")[n % 3],
                   themes=[("asuminen", "koulutus", "nuoret")[n % 3]] + (["tyollisyys"] if n % 4 == 0 else []),
                   municipalities=["Kajaani"] if n % 2 else ["Sotkamo", "Oulu"],
                   published=__import__("datetime").date(2020 + n % 5, 1 + n % 12, 1))
    found = browse.listing.table(session)
    plain = replace(found, cross={})
    assert {name for name, _value in found.cross} >= {"type", "theme", "region", "year"}
    for name, value in found.cross:
        filters = browse.Filters(**{name: value})
        assert found.counts(filters) == plain.counts(filters), (name, value)
    everything = browse.Filters()
    for page in (1, 2, 3, 4):
        mask = found.matching(everything)
        assert found.page(everything, page, 4) == (
            [found.ids[p] for p in range(len(found.ids)) if mask >> p & 1][(page - 1) * 4:page * 4], 14)
