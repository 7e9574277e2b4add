"""The cards' dates kept with the listing table (listing_days.py): found by id, None kept, and no
answer (the caller reads the row) for an id the table does not have."""

from datetime import date

from ideapankki import listing_days

ROWS = [(7, date(2026, 11, 23), date(2021, 3, 1), date(2023, 6, 30)), (3, None, None, None),
        (12, date(2024, 5, 1), date(2015, 1, 1), None)]


def test_dates_are_found_by_id_in_any_order():
    kept = listing_days.build(ROWS)
    assert listing_days.dates(kept, [12, 7, 3]) == [(date(2024, 5, 1), date(2015, 1, 1), None),
                                                    (date(2026, 11, 23), date(2021, 3, 1), date(2023, 6, 30)),
                                                    (None, None, None)]


def test_an_id_the_table_lacks_gives_no_dates():
    kept = listing_days.build(ROWS)
    assert listing_days.dates(kept, [7, 5]) is None
    assert listing_days.dates(kept, [13]) is None  # past the last id
    assert listing_days.dates(listing_days.build([]), [1]) is None
    assert listing_days.dates(((), ()), [1]) is None  # a table built without them
