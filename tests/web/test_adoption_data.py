"""How practices spread, in the numbers: the statistics page and its JSON, the API and the exports."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from sqlmodel import select

from factories import make_entry, make_member
from ideapankki import adoption_stats, adoptions, exports
from ideapankki.models import Entry, EntryState, utcnow


def _member(session, email, municipality):
    user = make_member(session, email, municipality)
    user.membership_approved_at = utcnow()
    session.commit()
    return user


@pytest.fixture(scope="module")
def shared(module_session):
    """Two practices and an idea; Oulu and Vaasa use the first, Oulu the idea, Porvoo is interested."""
    first = make_entry(module_session, "omavalmentaja", title="Omavalmentaja", municipalities=["Kajaani"])
    make_entry(module_session, "toinen", title="Toinen kokeilu")
    idea = make_entry(module_session, "idea", type="idea", title="Idea")
    make_entry(module_session, "normi", type="norm", title="Normi")
    hidden = make_entry(module_session, "luonnos", state=EntryState.draft, title="Luonnos")
    oulu = _member(module_session, "liisa@ouka.fi", "Oulu")
    vaasa = _member(module_session, "ville@vaasa.fi", "Vaasa")
    porvoo = _member(module_session, "pia@porvoo.fi", "Porvoo")
    adoptions.mark(module_session, first, oulu, "adopted", year=2023, note="=HYPERLINK(\"x\")")
    adoptions.mark(module_session, first, vaasa, "adopted", year=2024)
    adoptions.mark(module_session, first, porvoo, "interested")
    adoptions.mark(module_session, idea, oulu, "adopted", year=2025)
    module_session.commit()
    hidden.state = EntryState.published.value  # marked while published, then withdrawn from view
    module_session.commit()
    adoptions.mark(module_session, hidden, oulu, "adopted", year=2025)
    hidden.state = EntryState.archived.value
    module_session.commit()
    return module_session


def test_the_domain_counts_published_practices_and_ideas_only(reader, shared):
    stats = adoption_stats.collect(shared)
    assert stats.marks == {"adopted": 3, "interested": 1}
    assert stats.by_municipalities == [(0, 1), (1, 1), (2, 1)]  # "toinen"; the idea; omavalmentaja
    assert [(s.slug, s.municipalities) for s in stats.most_adopted] == [("omavalmentaja", 2), ("idea", 1)]
    regions = {r.code: (r.adopted, r.interested) for r in stats.regions}
    assert len(regions) == 19
    assert regions["FI1D9"] == (2, 0) and regions["FI195"] == (1, 0) and regions["FI1B1"] == (0, 1)


def test_the_statistics_page_shows_the_spread_as_charts_tables_and_a_map(reader):
    page = reader.get("/statistics").text
    for section in ("adoption-spread", "adoption-top", "adoption-regions"):
        assert f'id="{section}"' in page and f'id="chart-{section}"' in page
    assert "Eniten käyttöön otetut käytännöt ja ideat" in page
    top = page[page.index('id="adoption-top-caption"'):]
    top = top[:top.index("</table>")]
    assert re.search(r"<th scope=\"row\"><a href=\"/entries/omavalmentaja\">Omavalmentaja</a></th>"
                     r"<td class=\"num\">2</td>", top)  # each row links to its entry
    assert '<a href="/entries/idea">Idea</a>' in top
    regions = page[page.index('id="adoption-regions-caption"'):]
    assert re.search(r"<th scope=\"row\">Pohjois-Pohjanmaa</th><td class=\"num\">2</td><td class=\"num\">0</td>",
                     regions)
    assert "Luonnos" not in page


def test_the_statistics_json_carries_the_adoptions(reader):
    body = reader.get("/api/v1/statistics").get_json()["adoptions"]
    assert body["marks"] == {"adopted": 3, "interested": 1}
    assert body["most_adopted"][0] == {"slug": "omavalmentaja", "title": "Omavalmentaja", "type": "practice",
                                       "municipalities": 2}
    assert {"code": "FI1D9", "name_fi": "Pohjois-Pohjanmaa", "name_sv": "Norra Österbotten", "adopted": 2,
            "interested": 0} in body["regions"]


def test_the_api_entry_lists_its_adopters_as_documented(reader):
    body = reader.get("/api/v1/entries/omavalmentaja").get_json()
    assert [(a["organisation"], a["status"], a["year"], a["region_code"]) for a in body["adoptions"]] == [
        ("Oulu", "adopted", 2023, "FI1D9"), ("Vaasa", "adopted", 2024, "FI195"), ("Porvoo", "interested", None, "FI1B1")]
    document = reader.get("/api/v1/openapi.json").get_json()
    schema = document["components"]["schemas"]["Adoption"]
    assert set(schema["required"]) == set(body["adoptions"][0])
    assert "adoptions" in document["components"]["schemas"]["Statistics"]["properties"]


def test_the_exports_carry_the_adoptions(reader, shared, tmp_path):
    count = exports.build(shared, tmp_path, lambda slug: f"http://localhost/entries/{slug}")
    assert count == 4
    data = json.loads((tmp_path / exports.JSON_NAME).read_text(encoding="utf-8"))
    by_slug = {e["slug"]: e for e in data["entries"]}
    assert [a["organisation"] for a in by_slug["omavalmentaja"]["adoptions"]] == ["Oulu", "Vaasa", "Porvoo"]
    rows = {r["slug"]: r for r in csv.DictReader(io.StringIO((tmp_path / exports.CSV_NAME).read_text("utf-8-sig")))}
    assert rows["omavalmentaja"]["adopted_by"] == "Oulu (2023);Vaasa (2024)"
    assert rows["omavalmentaja"]["interested"] == "Porvoo"
    assert rows["normi"]["adopted_by"] == "" and "luonnos" not in rows
    assert "`adopted_by`" in (tmp_path / exports.README_NAME).read_text(encoding="utf-8")
    assert shared.exec(select(Entry).where(Entry.slug == "luonnos")).one().state == "archived"
