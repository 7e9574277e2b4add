"""Many marks on one entry: the entry page counts them all and lists the first few, the adopters' page
lists them all; a municipality's page lists what its organisations marked and what others took from it."""

import re

import pytest
from sqlmodel import select

from factories import make_entry, mark_by_many
from ideapankki.models import Adoption, Organisation
from ideapankki.web.views.adoptions import SHOWN


def _marks(session, entry, n):
    places = mark_by_many(session, entry, n)
    session.commit()
    return places


def test_the_entry_page_counts_every_mark_and_lists_the_first_few(client, practice, app_session):
    _marks(app_session, practice, 45)
    page = client.get("/entries/omavalmentaja").text
    assert "30 organisaatiolla tämä on käytössä, 15 on kiinnostuneita" in page
    table = page[page.index('id="adoptions-caption"'):page.index("</table>", page.index('id="adoptions-caption"'))]
    assert len(re.findall(r"<th scope=\"row\">", table)) == SHOWN
    assert f"Ensimmäiset {SHOWN} / 45" in table
    assert re.search(r'<a href="/entries/omavalmentaja/adopters">[^<]*45[^<]*</a>', page)
    counts = [int(n) for n in re.findall(r"<text[^>]*>Käytössä: (\d+)</text>", page)]
    assert sum(counts) == 30  # the map counts every mark, not only those in the table
    full = client.get("/entries/omavalmentaja/adopters")
    assert full.status_code == 200
    assert len(re.findall(r"<th scope=\"row\">", full.text)) == 45
    assert 'href="/entries/omavalmentaja"' in full.text


def test_a_few_marks_need_no_adopters_page_link(client, practice, app_session):
    _marks(app_session, practice, 3)
    page = client.get("/entries/omavalmentaja").text
    assert "/adopters" not in page and "Ensimmäiset" not in page
    assert len(re.findall(r"<th scope=\"row\">", page[page.index('id="adoptions-caption"'):])) >= 3


def test_the_adopters_page_is_for_published_practices_and_ideas_only(client, practice, app_session):
    make_entry(app_session, "normi", type="norm")
    assert client.get("/entries/normi/adopters").status_code == 404
    assert client.get("/entries/ei-ole/adopters").status_code == 404
    assert client.get("/entries/omavalmentaja/adopters?lang=sv").status_code == 200


def test_a_municipality_page_lists_its_marks_and_what_others_took_from_it(client, practice, app_session):
    [oulu] = [p for p in _marks(app_session, practice, 400) if p.code == "564"]
    other = make_entry(app_session, "toinen", title="Toinen käytäntö")
    org = app_session.exec(select(Organisation).where(Organisation.municipality_code == "564")).one()
    app_session.add(Adoption(entry_id=other.id, organisation_id=org.id, status="interested"))
    app_session.commit()
    page = client.get("/municipalities/564").text
    section = page[page.index('id="in-use-here-title"'):]
    assert re.search(r'href="/entries/omavalmentaja#adoptions-title"[^>]*>Omavalmentaja</a>\s*'
                     r'<span class="count">\(Oulu, sivistystoimi: (käytössä vuodesta \d{4}|kiinnostunut)\)', section)
    assert "Toinen käytäntö</a> <span class=\"count\">(Oulu, sivistystoimi: kiinnostunut)" in section
    kajaani = client.get("/municipalities/205").text
    taken = kajaani[kajaani.index('id="taken-up-title"'):]
    adopted = app_session.exec(select(Adoption).where(Adoption.status == "adopted",
                                                      Adoption.entry_id == practice.id)).all()
    assert f"Omavalmentaja</a> <span class=\"count\">(käytössä {len(adopted)} muussa organisaatiossa)" in taken
    assert "in-use-here-title" not in kajaani
