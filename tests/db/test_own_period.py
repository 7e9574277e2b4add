"""Practices are counted by their own period (the year they started), not by the day they were entered."""

from datetime import date

from factories import make_entry
from ideapankki import browse, statistics
from ideapankki.browse import Filters
from ideapankki.search.schema import facet_values


def arrange(session):
    make_entry(session, "kokeilu-2015", period_start=date(2015, 8, 1), period_end=date(2016, 12, 31),
               published=date(2026, 11, 23), commit=False)
    make_entry(session, "kokeilu-2021", period_start=date(2021, 3, 1), published=date(2026, 11, 23), commit=False)
    make_entry(session, "idea-2025", type="idea", published=date(2025, 5, 1), commit=False)
    make_entry(session, "ilman-aikavalia", published=date(2024, 2, 1), commit=False)
    session.commit()


def test_statistics_count_a_practice_in_the_year_it_started(session):
    arrange(session)
    table = statistics.types_by_year(session)
    assert {row.year: row.counts for row in table.rows} == {
        2015: {"practice": 1, "idea": 0, "norm": 0}, 2021: {"practice": 1, "idea": 0, "norm": 0},
        2024: {"practice": 1, "idea": 0, "norm": 0}, 2025: {"practice": 0, "idea": 1, "norm": 0}}
    assert 2026 not in {row.year for row in table.rows}
    assert statistics.to_json(statistics.collect(session))["types_by_year"][0]["year"] == 2015


def test_the_year_facet_and_filter_use_the_own_period(session):
    arrange(session)
    years = dict(browse.facet_counts(session, Filters())["year"].counts)
    assert years == {2015: 1, 2021: 1, 2024: 1, 2025: 1}
    assert [e.slug for e in browse.list_entries(session, Filters(year=2015)).entries] == ["kokeilu-2015"]
    assert browse.list_entries(session, Filters(year=2026)).total == 0


def test_the_front_page_s_latest_are_the_newest_by_their_own_date(session):
    arrange(session)
    assert [e.slug for e in browse.latest(session)] == ["idea-2025", "ilman-aikavalia", "kokeilu-2021",
                                                         "kokeilu-2015"]


def test_the_search_index_year_is_the_own_period(session):
    arrange(session)
    assert facet_values(browse.get_published(session, "kokeilu-2015"))["year"] == ["2015"]
    assert facet_values(browse.get_published(session, "idea-2025"))["year"] == ["2025"]


def test_evidence_level_is_a_facet_and_a_statistic(session):
    from ideapankki.content import parse
    from ideapankki.entries import save_document
    from ideapankki import workflow
    from ideapankki.models import EntryState
    from structured_samples import PRACTICE

    arrange(session)
    entry, _changed = save_document(session, parse(PRACTICE, "practice/naytetty.md"), ["205"])
    workflow.place_by_operator(session, entry, EntryState.published, "test")
    session.commit()
    assert dict(browse.facet_counts(session, Filters())["evidence"].counts) == {3: 1}
    assert [e.slug for e in browse.list_entries(session, Filters(evidence=3)).entries] == ["naytetty"]
    assert facet_values(entry)["evidence"] == ["3"]
    counts = {c.key: c.count for c in statistics.evidence_levels(session)}
    assert counts == {"1": 0, "2": 0, "3": 1, "4": 0, "5": 0, "not_stated": 3}
