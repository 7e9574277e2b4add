"""The structured description per type: every key validated, written canonically, lossless."""

from datetime import date

import pytest

from ideapankki import structured
from ideapankki.content import ContentError, parse, serialize
from structured_samples import IDEA, NORM, PRACTICE


@pytest.mark.parametrize("text, path", [(PRACTICE, "practice/p.md"), (IDEA, "idea/i.md"), (NORM, "norm/n.md")])
def test_every_structured_key_round_trips_byte_for_byte(text, path):
    doc = parse(text, path)
    assert serialize(doc) == text
    assert parse(serialize(doc), path) == doc


def test_practice_values_keep_their_types():
    details = parse(PRACTICE, "practice/p.md").details
    assert details["resources"] == {"person_years": 2.5, "euros": 120000, "duration": "28 kuukautta",
                                    "funding": "valtionavustus"}
    assert details["results"][0]["value"] == 35 and details["results"][0]["baseline"] == 20.5
    assert details["results"][1] == {"indicator": "Asiakkaita", "value": 1200}
    assert details["evidence_level"] == 3 and details["practice_status"] == "permanent"
    assert details["goals"].splitlines() == ["Työttömät työllistyvät nopeammin.",
                                             "Palvelut sovitetaan asiakkaan tilanteeseen."]


def test_contacts_without_consent_are_kept_but_not_shown():
    doc = parse(PRACTICE, "practice/p.md")
    assert doc.contacts[1] == {"name": "Pekka Piilo", "agreed": False}
    assert "agreed" not in doc.contacts[0]  # absent means agreed (every imported contact)
    assert [c["name"] for c in structured.shown_contacts(doc.contacts)] == ["Maija Meikäläinen"]


def test_json_column_form_round_trips_the_response_date():
    details = parse(NORM, "norm/n.md").details
    stored = structured.to_json(details)
    assert stored["response"]["date"] == "2024-05-02"
    assert structured.from_json(stored)["response"]["date"] == date(2024, 5, 2)


def replace(text, old, new):
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize("old, new, key", [
    ("  value: 35\n", "  value: paljon\n", "results[0].value"),
    ("  value: 35\n", "", "results[0].value"),
    ("- indicator: Työllistyneiden osuus\n", "- unit: kpl\n", "results[0].indicator"),
    ("  source: https://example.fi/raportti\n", "  source: example.fi\n", "results[0].source"),
    ("  baseline: 20.5\n", "  baseline: -1\n", "results[0].baseline"),
    ("  period: 2021–2023\n", "  period: 2021–2023\n  colour: red\n", "results[0].colour"),
    ("results:\n", "results: yksi\nx_results:\n", "x_results"),
    ("- indicator: Asiakkaita\n  value: 1200\n", "- Asiakkaita\n", "results[1]"),
    ("evidence_level: 3\n", "evidence_level: 6\n", "evidence_level"),
    ("evidence_level: 3\n", "evidence_level: '3'\n", "evidence_level"),
    ("evidence_level: 3\n", "evidence_level: true\n", "evidence_level"),
    ("evidence_proposed: 4\n", "evidence_proposed: 0\n", "evidence_proposed"),
    ("practice_status: permanent\n", "practice_status: forever\n", "practice_status"),
    ("  euros: 120000\n", "  euros: 120 000 €\n", "resources.euros"),
    ("  report: https://example.fi/arviointi\n", "  report: ftp://x\n", "evaluation.report"),
    ("  email: maija@kajaani.fi\n", "  email: maija\n", "contacts[0].email"),
    ("  phone: +358 40 123 4567\n", "  phone: soita\n", "contacts[0].phone"),
    ("  agreed: false\n", "  agreed: ei\n", "contacts[1].agreed"),
    ("- name: Pekka Piilo\n", "- role: sihteeri\n", "contacts[1].name"),
    ("  organisation: Kajaanin kaupunki\n", "  organisation: |-\n    Kajaanin\n    kaupunki\n",
     "contacts[0].organisation"),
    ("  duration: 28 kuukautta\n", "  duration: [28]\n", "resources.duration"),
])
def test_malformed_practice_fields_name_the_key(old, new, key):
    with pytest.raises(ContentError) as caught:
        parse(replace(PRACTICE, old, new), "practice/p.md")
    if key is not None:
        assert caught.value.key == key, str(caught.value)
    assert str(caught.value).startswith("practice/p.md: ")


@pytest.mark.parametrize("text, path, line, key", [
    (IDEA, "idea/i.md", "goals: Tavoite.\n", "goals"),
    (IDEA, "idea/i.md", "evidence_level: 2\n", "evidence_level"),
    (NORM, "norm/n.md", "problem: Ongelma.\n", "problem"),
    (PRACTICE, "practice/p.md", "authority: Ministeriö\n", "authority"),
])
def test_keys_of_another_type_are_refused(text, path, line, key):
    with pytest.raises(ContentError) as caught:
        parse(text.replace("summary:", line + "summary:", 1), path)
    assert caught.value.key == key and "only allowed for type" in caught.value.message


@pytest.mark.parametrize("old, new, key", [
    ("  date: 2024-05-02\n", "  date: 2024-02-30\n", "response.date"),
    ("  url: https://example.fi/vastaus\n", "  url: www.example.fi\n", "response.url"),
    ("response:\n  text: Ministeriö selvittää asiaa.\n  date: 2024-05-02\n  url: https://example.fi/vastaus\n",
     "response: {}\n", "response"),
    ("authority: Opetus- ja kulttuuriministeriö\n", "authority: [OKM]\n", "authority"),
])
def test_malformed_norm_response_names_the_key(old, new, key):
    with pytest.raises(ContentError) as caught:
        parse(replace(NORM, old, new), "norm/n.md")
    assert caught.value.key == key
