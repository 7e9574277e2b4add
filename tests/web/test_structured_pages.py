"""A member fills every structured field through the form; a moderator sees them, confirms the
evidence level and publishes; the entry page, the API and the CSV show them."""

import csv
import io
import re
from xml.etree import ElementTree

import pytest
from sqlmodel import select

from ideapankki import accounts
from ideapankki.models import Entry, Role

from clients import PASSWORD, post_form, sign_in

ATOM = "{http://www.w3.org/2005/Atom}"

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
    # grouped fields with their parts' labels, and named values (not "permanent")
    for part in ("Kustannukset (euroa): 120\u00a0000", "Mittari: Työllistyneiden osuus · Arvo: 35",
                 "Lähde: https://example.fi/tulos", ">Vakinaistettu</dd>"):
        assert part in review, part
    for once in ("Työllistyneiden osuus", "Oma työntekijä on tärkein.", "Pekka Piilo"):  # each field shown once
        assert review.count(once) == 1, once
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

    _the_feeds_show_it(app.test_client(), entry.slug)

    listing = app.test_client().get("/api/v1/entries?evidence=3").get_json()
    assert [e["slug"] for e in listing["results"]] == [entry.slug]
    assert app.test_client().get("/api/v1/entries?evidence=4").get_json()["results"] == []
    assert app.test_client().get("/api/v1/entries?evidence=9").status_code == 400
    browse = app.test_client().get("/entries").text
    assert "Näytön taso" in browse and "3 – Syy-yhteys osoitettu" in browse  # the facet


def _feed_content(client, url, href):
    """The HTML content of the Atom entry of URL whose link is HREF (parsed as the reader's feed reader would)."""
    feed = ElementTree.fromstring(client.get(url).data)
    (item,) = [e for e in feed.iter(f"{ATOM}entry") if e.find(f"{ATOM}link").get("href") == href]
    return item.findtext(f"{ATOM}content")


def _the_feeds_show_it(client, slug):
    """Every feed that lists the entry carries its structured sections, labelled in the feed's language, in the
    entry page's order, and whom to call (only who agreed); the entry's own feed carries them in its version; nothing
    that is not allowed in a body."""
    page = f"http://localhost/entries/{slug}"
    for url in ("/feeds/entries.atom", "/feeds/type/practice.atom", "/feeds/municipality/205.atom"):
        content = _feed_content(client, url, page)
        order = [content.index(text) for text in ("Aloitimme kolmella", "Tavoitteet", "pitkäaikaistyöttömät",
                                                   "Resurssit", "120&nbsp;000", "Tulokset", "Työllistyneiden osuus",
                                                   "Arviointi", "3 – Syy-yhteys osoitettu", "Opit",
                                                   "Mitä toinen kunta tarvitsee", "Kuntakokeilulaki", "Tilanne nyt",
                                                   "Vakinaistettu", "Yhteyshenkilöt", "Maija Meikäläinen")]
        assert order == sorted(order), url
        assert 'href="mailto:maija@kajaani.fi"' in content and 'href="tel:+358401234567"' in content
        assert "Pekka" not in content, url  # a contact who did not agree to publication
        assert 'href="https://example.fi/tulos"' in content
        assert not re.search(r"<(section|span|script)|tabindex|aria-|class=", content), url
    swedish = _feed_content(client, "/feeds/entries.atom?lang=sv", page)
    assert "Mål</h2>" in swedish and "Resultat</h2>" in swedish and "Kontaktpersoner</h2>" in swedish
    assert "Tavoitteet" not in swedish and "Työnhakijat työllistyvät nopeammin." in swedish
    versions = _feed_content(client, f"/feeds/entry/{slug}.atom", f"{page}/history#version-1")
    assert "Tulokset" in versions and "Työllistyneiden osuus" in versions and "Kuntakokeilulaki" in versions
    assert "Maija Meikäläinen" in versions and "Pekka" not in versions


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


IDEA = {"title": "Kannustinloukun purku", "summary": "Etuudet sovitetaan kuukausittain.", "language": "fi",
        "municipalities": "Kajaani", "origin": "Kuntamarkkinat 2022, hackathon",
        "problem": "Työn vastaanottaminen ei kannata.", "solution": "Sovitellaan etuudet kuukausittain.",
        "beneficiaries": "Osa-aikatyötä tekevät", "needs": "Kelan ja kunnan yhteinen kokeilu",
        "next_steps": "Etsitään kokeilukunnat."}


def test_every_idea_field_from_the_form_to_the_page_api_csv_and_feeds(app, app_session, member, moderator):
    author = sign_in(app.test_client())
    assert post_form(author, "/new/idea", {**IDEA, "do": "submit"}).status_code == 302
    entry = app_session.exec(select(Entry).where(Entry.title == IDEA["title"])).one()
    assert moderate(moderator, entry.slug, "take").status_code == 302
    review = moderator.get(f"/moderation/{entry.slug}").text
    headings = ("Ongelma", "Ehdotettu ratkaisu", "Keitä hyödyttäisi", "Mitä kokeilu vaatii", "Seuraavat askeleet")
    values = [IDEA[k] for k in ("problem", "solution", "beneficiaries", "needs", "next_steps")]
    assert all(text in review for text in (*headings, *values))
    assert moderate(moderator, entry.slug, "publish").status_code == 302
    reader = app.test_client()
    page = reader.get(f"/entries/{entry.slug}").text
    order = [page.index(text) for text in values]
    assert order == sorted(order) and all(h in page for h in headings)
    record = reader.get(f"/api/v1/entries/{entry.slug}").get_json()
    assert {k: record["details"][k] for k in ("problem", "solution", "beneficiaries", "needs", "next_steps")} == {
        k: IDEA[k] for k in ("problem", "solution", "beneficiaries", "needs", "next_steps")}
    rows = list(csv.DictReader(io.StringIO(reader.get("/data/ideapankki-entries.csv").text.lstrip("\ufeff"))))
    (row,) = [r for r in rows if r["slug"] == entry.slug]
    assert row["problem"] == IDEA["problem"] and row["next_steps"] == IDEA["next_steps"]
    href = f"http://localhost/entries/{entry.slug}"
    for url, link in (("/feeds/type/idea.atom", href), (f"/feeds/entry/{entry.slug}.atom", f"{href}/history#version-1")):
        content = _feed_content(reader, url, link)
        order = [content.index(text) for pair in zip(headings, values) for text in pair]
        assert order == sorted(order), url


def test_a_norm_proposals_authority_and_response_are_in_its_feeds(client, app_session):
    from factories import make_entry
    from datetime import date

    make_entry(app_session, "normi", type="norm", title="Normi", summary="Ehdotus.",
               proposal={"action": "loosen", "justification": "Pula opettajista."},
               details={"authority": "Opetus- ja kulttuuriministeriö",
                        "response": {"text": "Ministeriö selvittää asiaa.", "date": date(2024, 3, 1),
                                     "url": "https://okm.fi/vastaus"}})
    content = _feed_content(client, "/feeds/type/norm.atom", "http://localhost/entries/normi")
    order = [content.index(text) for text in ("Ministeriö tai viranomainen, jota ehdotus koskee",
                                              "Opetus- ja kulttuuriministeriö", "Saatu vastaus",
                                              "Ministeriö selvittää asiaa.", 'href="https://okm.fi/vastaus"')]
    assert order == sorted(order)
