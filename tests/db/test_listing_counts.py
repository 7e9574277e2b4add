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
