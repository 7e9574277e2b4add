"""A listing's cards read their dates from the listing table (listing_days.py) and their texts
from the rows: the same cards as one read of every column, and an entry newer than the table
still gets its own dates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from factories import make_entry
from ideapankki import listing


def test_cards_with_the_tables_dates_are_the_rows_cards(session):
    make_entry(session, "trial", period_start=date(2021, 3, 1), period_end=date(2023, 6, 30),
               municipalities=["Kajaani"])
    make_entry(session, "open", period_start=date(2015, 1, 1))
    make_entry(session, "idea", type="idea")
    found = listing.table(session)
    ids = list(found.ids)
    assert listing.cards(session, ids, found) == listing.cards(session, ids, replace(found, days=((), ())))
    trial = next(card for card in listing.cards(session, ids, found) if card.slug == "trial")
    assert (trial.period_start, trial.period_end) == (date(2021, 3, 1), date(2023, 6, 30))
    assert [place.code for place in trial.municipalities] == ["205"]


def test_an_entry_newer_than_the_table_reads_its_dates(session):
    make_entry(session, "old")
    found = listing.table(session)
    newer = make_entry(session, "new", period_start=date(2020, 2, 29))
    cards = listing.cards(session, [newer.id, *found.ids], found)
    assert [card.slug for card in cards] == ["new", "old"]
    assert cards[0].period_start == date(2020, 2, 29)
