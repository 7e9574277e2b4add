"""Statistics count published entries only, and agree with direct counts in the database."""

from datetime import date

import pytest
import sqlalchemy as sa

from factories import make_entry
from ideapankki import statistics
from ideapankki.models import EntryState

UNPUBLISHED = [s for s in EntryState if s != EntryState.published]
LAW_A = {"title": "Laki julkisesta työvoima- ja yrityspalvelusta", "number": "916/2012", "section": "4 luku"}
LAW_A_OTHER_SECTION = {"title": "Laki julkisesta työvoima- ja yrityspalvelusta", "number": "916/2012",
                       "section": "5 luku"}
LAW_B = {"title": "Perusopetuslaki", "number": "628/1998"}
LAW_NO_NUMBER = {"title": "Kuntakokeiluasetus"}


@pytest.fixture
def bank(session):
    """A small bank: published entries over two years, and one unpublished twin of each kind per state."""
    make_entry(session, "p1", type="practice", published=date(2021, 3, 1), themes=["tyollisyys", "nuoret"],
               municipalities=["Kajaani", "Sotkamo"])  # two municipalities, one region
    make_entry(session, "p2", type="practice", published=date(2022, 5, 1), themes=["tyollisyys"],
               municipalities=["Kajaani", "Porvoo"])  # two regions
    make_entry(session, "i1", type="idea", published=date(2022, 6, 1), themes=["koulutus"], municipalities=["Turku"])
    make_entry(session, "n1", type="norm", published=date(2022, 7, 1), themes=["koulutus"],
               laws=[LAW_A, LAW_A_OTHER_SECTION, LAW_B], proposal={"action": "loosen", "proposer_role": "official"})
    make_entry(session, "n2", type="norm", published=date(2023, 1, 2), laws=[LAW_A, LAW_NO_NUMBER],
               proposal={"action": "trial_exemption"})
    make_entry(session, "n3", type="norm", published=date(2023, 2, 3), proposal={"action": "loosen"})
    # a practice citing a law: not a norm proposal, so not in the law counts
    make_entry(session, "p3", type="practice", published=date(2023, 3, 1), laws=[LAW_B], municipalities=["Oulu"])
    for state in UNPUBLISHED:
        published = date(2022, 1, 1) if state == EntryState.archived else None
        make_entry(session, f"x-{state.value}", state=state, type="norm", published=published,
                   themes=["tyollisyys", "asuminen"], municipalities=["Kajaani", "Helsinki"], laws=[LAW_A, LAW_B],
                   proposal={"action": "remove", "proposer_role": "elected"})
    return statistics.collect(session)


def scalar_rows(session, sql):
    return {tuple(row[:-1]): row[-1] for row in session.connection().execute(sa.text(sql)).all()}


def test_types_by_year(bank):
    rows = {row.year: row.counts for row in bank.types_by_year.rows}
    assert rows == {
        2021: {"practice": 1, "idea": 0, "norm": 0},
        2022: {"practice": 1, "idea": 1, "norm": 1},
        2023: {"practice": 1, "idea": 0, "norm": 2},
    }
    assert bank.published == 7 == sum(row.total for row in bank.types_by_year.rows)


def test_themes_by_year_count_each_theme_of_an_entry(bank):
    rows = {row.year: {k: n for k, n in row.counts.items() if n} for row in bank.themes_by_year.rows}
    assert rows == {2021: {"tyollisyys": 1, "nuoret": 1}, 2022: {"tyollisyys": 1, "koulutus": 2}}
    assert bank.themes_by_year.totals()["asuminen"] == 0  # only unpublished entries have it


def test_regions_count_an_entry_once_per_region(bank):
    counts = {r.code: r.count for r in bank.regions}
    assert counts["FI1D8"] == 2  # Kainuu: p1 (Kajaani and Sotkamo) and p2
    assert counts["FI1B1"] == 1  # Helsinki-Uusimaa: p2 (Porvoo); the unpublished Helsinki ones do not count
    assert counts["FI1C1"] == 1 and counts["FI1D9"] == 1
    assert sum(counts.values()) == 5 and len(counts) == 19
    assert [r.count for r in bank.regions] == sorted((r.count for r in bank.regions), reverse=True)
    kainuu = next(r for r in bank.regions if r.code == "FI1D8")
    assert (kainuu.name_fi, kainuu.name_sv) == ("Kainuu", "Kajanaland")


def test_norm_laws_group_by_number_or_title(bank):
    assert [(law.number, law.title, law.count) for law in bank.norm_laws] == [
        ("916/2012", LAW_A["title"], 2),  # n1 cites it twice (two sections) but counts once
        ("628/1998", "Perusopetuslaki", 1),  # the practice p3 and the unpublished ones do not count
        (None, "Kuntakokeiluasetus", 1),
    ]


def test_norm_proposal_fields(bank):
    assert {c.key: c.count for c in bank.norm_actions} == {
        "remove": 0, "loosen": 2, "trial_exemption": 1, "reform": 0, "not_stated": 0}
    assert {c.key: c.count for c in bank.norm_proposer_roles} == {
        "official": 1, "elected": 0, "other": 0, "not_stated": 2}


def test_numbers_equal_direct_sql_counts(session, bank):
    """The same numbers straight from SQL, written independently of the module."""
    published = "state = 'published'"
    by_type = scalar_rows(session, f"SELECT CAST(substr(CAST(published_on AS TEXT), 1, 4) AS INTEGER), type, COUNT(*) "
                                   f"FROM entry WHERE {published} GROUP BY 1, 2")
    assert by_type == {(row.year, key): n for row in bank.types_by_year.rows for key, n in row.counts.items() if n}
    by_theme = scalar_rows(session, "SELECT CAST(substr(CAST(e.published_on AS TEXT), 1, 4) AS INTEGER), t.theme_slug, COUNT(*) "
                                    f"FROM entry e JOIN entry_theme t ON t.entry_id = e.id WHERE e.{published} "
                                    "GROUP BY 1, 2")
    assert by_theme == {(row.year, key): n for row in bank.themes_by_year.rows for key, n in row.counts.items() if n}
    by_region = scalar_rows(session, "SELECT m.region_code, COUNT(DISTINCT e.id) FROM entry e "
                                     "JOIN entry_municipality em ON em.entry_id = e.id "
                                     f"JOIN municipality m ON m.code = em.municipality_code WHERE e.{published} "
                                     "GROUP BY 1")
    assert by_region == {(r.code,): r.count for r in bank.regions if r.count}
    by_law = scalar_rows(session, "SELECT COALESCE(l.number, l.title), COUNT(DISTINCT e.id) FROM entry e "
                                  f"JOIN law_reference l ON l.entry_id = e.id WHERE e.{published} AND e.type = 'norm' "
                                  "GROUP BY 1")
    assert by_law == {(law.number or law.title,): law.count for law in bank.norm_laws}


def test_an_empty_bank_has_zero_counts_everywhere(session):
    empty = statistics.collect(session)
    assert empty.published == 0 and empty.types_by_year.rows == [] and empty.norm_laws == []
    assert all(r.count == 0 for r in empty.regions)
    assert all(c.count == 0 for c in empty.norm_actions)


def test_json_has_the_same_numbers(bank):
    data = statistics.to_json(bank)
    assert data["published"] == 7
    assert data["types_by_year"][0] == {"year": 2021, "counts": {"practice": 1, "idea": 0, "norm": 0}, "total": 1}
    assert data["norm_actions"]["loosen"] == 2
    assert data["norm_laws"][0] == {"number": "916/2012", "title": LAW_A["title"], "count": 2}


def test_programme_counts_equal_the_database(session):
    from factories import make_programme

    make_programme(session, "tyo", title="Työllisyyskokeilut", municipalities=["Kajaani", "Sotkamo"],
                   participants_total=118)
    make_programme(session, "kunta", title="Kuntakokeilut", municipalities=["Vaasa"])
    make_entry(session, "kainuu", programme="tyo")
    make_entry(session, "luonnos", programme="tyo", state=EntryState.draft)
    counts = {p.slug: (p.named, p.stated_total, p.practices) for p in statistics.programme_counts(session)}
    assert counts == {"tyo": (2, 118, 1), "kunta": (1, None, 0)}
    as_json = statistics.to_json(statistics.collect(session))["programmes"]
    assert [(p["slug"], p["named_municipalities"], p["practices"]) for p in as_json] == [("kunta", 1, 0), ("tyo", 2, 1)]
