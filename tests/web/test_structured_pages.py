"""A member fills every structured field through the form; a moderator sees them, confirms the
evidence level and publishes; the entry page, the API and the CSV show them."""

import csv
import io
import re

import pytest
from sqlmodel import select

from ideapankki import accounts
from ideapankki.models import Entry, Role

from clients import PASSWORD, post_form, sign_in

PRACTICE = {
    "title": "Omavalmentaja pienessä kunnassa",
    "summary": "Jokainen työnhakija sai oman valmentajan.",
    "body": "## Tarina\n\nAloitimme kolmella valmentajalla.",
    "language": "fi", "municipalities": "Kajaani", "themes": ["tyollisyys"], "tags": "omavalmentaja",
    "period_start": "2021-03-01", "period_end": "2023-06-30", "trial_status": "ended",
    "goals": "Työnhakijat työllistyvät nopeammin.", "target_groups": "pitkäaikaistyöttömät\nnuoret",
    "person_years": "2,5", "euros": "120 000", "duration": "28 kuukautta", "funding": "Kunnan budjetti",
    "results-0-indicator": "Työllistyneiden osuus", "results-0-value": "35", "results-0-unit": "%",
    "results-0-baseline": "20,5", "results-0-period": "2021–2023", "results-0-source": "https://example.fi/tulos",
    "results-1-indicator": "Asiakkaita", "results-1-value": "1200",
    "evaluator": "VATT", "method": "Vertailuryhmä", "report": "https://example.fi/arviointi",
    "evidence_proposed": "4", "lessons": "Oma työntekijä on tärkein.", "size": "alle 40 000 asukasta",
    "partners": "TE-toimisto", "legal_basis": "Kuntakokeilulaki", "systems": "URA", "practice_status": "permanent",
    "contacts-0-name": "Maija Meikäläinen", "contacts-0-role": "kehittämispäällikkö",
    "contacts-0-organisation": "Kajaanin kaupunki", "contacts-0-email": "maija@kajaani.fi",
    "contacts-0-phone": "+358 40 123 4567", "contacts-0-agreed": "y",
    "contacts-1-name": "Pekka Piilo", "contacts-1-email": "pekka@kajaani.fi",
}


def token_of(html):
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


@pytest.fixture
def moderator(app, app_session):
    accounts.add_user(app_session, email="mod@kuntaliitto.fi", role=Role.moderator, password=PASSWORD,
                      name="Moderaattori")
    app_session.commit()
    return sign_in(app.test_client(), "mod@kuntaliitto.fi")


def moderate(client, slug, action):
    page = client.get(f"/moderation/{slug}")
    return client.post(f"/entries/{slug}/act", data={"csrf_token": token_of(page.text), "action": action})


def test_every_structured_field_from_the_form_to_the_published_page(app, app_session, member, moderator):
    author = sign_in(app.test_client())
    preview = post_form(author, "/new/practice", {**PRACTICE, "do": "preview"})
    assert preview.status_code == 200
    assert "Työllistyneiden osuus" in preview.text and "Tavoitteet" in preview.text  # the preview shows them
    sent = post_form(author, "/new/practice", {**PRACTICE, "do": "submit"})
    assert sent.status_code == 302
    entry = app_session.exec(select(Entry).where(Entry.title == PRACTICE["title"])).one()
    assert entry.evidence_level is None and entry.evidence_proposed == 4  # only a proposal
    assert entry.details["resources"] == {"person_years": 2.5, "euros": 120000, "duration": "28 kuukautta",
                                          "funding": "Kunnan budjetti"}
    assert entry.details["results"][0]["baseline"] == 20.5
    assert [(c.name, c.agreed) for c in entry.contacts] == [("Maija Meikäläinen", True), ("Pekka Piilo", False)]

    assert moderate(moderator, entry.slug, "take").status_code == 302
    review = moderator.get(f"/moderation/{entry.slug}").text
    for shown in ("Työllistyneiden osuus", "VATT", "Oma työntekijä on tärkein.", "Kuntakokeilulaki",
                  "4 – Itsenäisesti toistettu", "Pekka Piilo", "ei suostumusta"):
        assert shown in review, shown
    for part in ("Kustannukset (euroa): 120\u00a0000", "Mittari: Työllistyneiden osuus · Arvo: 35",
                 "Nimi: Pekka Piilo", "Lähde: https://example.fi/tulos"):  # grouped fields with their parts' labels
        assert part in review, part
    confirmed = moderator.post(f"/moderation/{entry.slug}/evidence",
                               data={"csrf_token": token_of(review), "evidence_level": "3"})
    assert confirmed.status_code == 302
    assert moderate(moderator, entry.slug, "publish").status_code == 302
    app_session.expire_all()
    assert (entry.evidence_level, entry.evidence_proposed, entry.state) == (3, 4, "published")

    page = app.test_client().get(f"/entries/{entry.slug}").text
    order = [page.index(heading) for heading in ("<h2 id=\"s-goals\">Tavoitteet", "Kohderyhmät", "Resurssit",
                                                 "Tulokset", "Arviointi", "Opit", "Mitä toinen kunta tarvitsee",
                                                 "Tilanne nyt")]
    assert order == sorted(order)
    for shown in ("120\u00a0000", "2,5", "20,5", "3 – Syy-yhteys osoitettu", "Vakinaistettu", "+358 40 123 4567",
                  "Kajaanin kaupunki", "Päivitetty"):
        assert shown in page, shown
    assert "Pekka Piilo" not in page and "pekka@kajaani.fi" not in page
    assert "Maija Meikäläinen, kehittämispäällikkö, Kajaanin kaupunki" in page  # in the citation too

    record = app.test_client().get(f"/api/v1/entries/{entry.slug}").get_json()
    assert (record["evidence_level"], record["evidence_proposed"]) == (3, 4)
    assert record["details"]["results"][0] == {"indicator": "Työllistyneiden osuus", "value": 35, "unit": "%",
                                               "baseline": 20.5, "period": "2021–2023",
                                               "source": "https://example.fi/tulos"}
    assert record["details"]["practice_status"] == "permanent" and record["details"]["resources"]["euros"] == 120000
    assert [c["name"] for c in record["contacts"]] == ["Maija Meikäläinen"]
    assert record["contacts"][0]["phone"] == "+358 40 123 4567"

    rows = list(csv.DictReader(io.StringIO(app.test_client().get("/data/ideapankki-entries.csv").text.lstrip("\ufeff"))))
    (row,) = [r for r in rows if r["slug"] == entry.slug]
    assert row["evidence_level"] == "3" and row["practice_status"] == "permanent"
    assert row["results"] == ("Työllistyneiden osuus = 35 % (20.5, 2021–2023, https://example.fi/tulos) | "
                              "Asiakkaita = 1200")
    assert row["resources_person_years"] == "2.5" and row["evaluation_evaluator"] == "VATT"
    assert "Pekka" not in row["contacts"] and row["contacts"].startswith("Maija Meikäläinen, kehittämispäällikkö")

    listing = app.test_client().get("/api/v1/entries?evidence=3").get_json()
    assert [e["slug"] for e in listing["results"]] == [entry.slug]
    assert app.test_client().get("/api/v1/entries?evidence=4").get_json()["results"] == []
    assert app.test_client().get("/api/v1/entries?evidence=9").status_code == 400
    browse = app.test_client().get("/entries").text
    assert "Näytön taso" in browse and "3 – Syy-yhteys osoitettu" in browse  # the facet


def test_a_member_cannot_confirm_an_evidence_level(app, app_session, member, moderator):
    author = sign_in(app.test_client())
    post_form(author, "/new/practice", {**PRACTICE, "do": "submit"})
    entry = app_session.exec(select(Entry)).one()
    moderate(moderator, entry.slug, "take")
    page = author.get(f"/moderation/{entry.slug}")
    assert 'name="evidence_level"' not in page.text
    answer = author.post(f"/moderation/{entry.slug}/evidence",
                         data={"csrf_token": token_of(author.get("/new/practice").text), "evidence_level": "5"})
    assert answer.status_code == 403
    app_session.expire_all()
    assert entry.evidence_level is None


@pytest.mark.parametrize("changes, field_id, message", [
    ({"results-0-value": "paljon"}, "results-0-value", "Kirjoita luku"),
    ({"results-0-source": "example.fi"}, "results-0-source", "https://"),
    ({"results-1-indicator": ""}, "results-1-indicator", "pakollinen"),
    ({"euros": "paljon rahaa"}, "euros", "Kirjoita luku"),
    ({"report": "arviointi.pdf"}, "report", "https://"),
    ({"contacts-0-email": "maija"}, "contacts-0-email", "sähköpostiosoite"),
    ({"contacts-0-phone": "soita"}, "contacts-0-phone", "puhelinnumero"),
])
def test_a_bad_structured_field_gets_its_error_at_the_field_and_loses_nothing(
        app, app_session, member, changes, field_id, message):
    author = sign_in(app.test_client())
    answer = post_form(author, "/new/practice", {**PRACTICE, **changes, "do": "save"})
    assert answer.status_code == 400
    error = re.search(rf'<p class="error" id="{field_id}-error">([^<]*)</p>', answer.text)
    assert error and message in error.group(1), answer.text[answer.text.find("error-summary"):][:800]
    assert 'value="Työllistyneiden osuus"' in answer.text and "Oma työntekijä on tärkein." in answer.text
    assert app_session.exec(select(Entry)).all() == []
