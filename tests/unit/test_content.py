"""The content format: parsing validates every key; serialising is canonical and lossless."""

from datetime import date

import pytest

from ideapankki.content import ContentError, EntryDocument, parse, serialize

VALID = """---
title: "SOTKU – sosiaaliturva ja työllisyys"
type: idea
summary: "Yksi virke."
municipalities: ["Kajaani", "Borgå", "091"]
themes: [tyollisyys]
tags: [kannustinloukku]
language: fi
published: 2022-05-25
origin: "Kuntamarkkinat 2022, hackathon"
laws: [{title: "Laki julkisesta työvoima- ja yrityspalvelusta", number: "916/2012", section: "4 luku"}]
contacts: [{name: "Maija Meikäläinen", role: "kehittäjä", email: "maija@kunta.fi"}]
links: [{title: "Kuntaliitto", url: "https://www.kuntaliitto.fi/"}]
---
## Tausta

Teksti.
"""


def parse_text(text, path="content/idea/sotku.md"):
    return parse(text, path)


def with_front(front: str, path="content/idea/sotku.md"):
    return parse_text(f"---\n{front}\n---\nRunko.\n", path)


def test_valid_file_parses_every_key():
    doc = parse_text(VALID)
    assert doc.slug == "sotku"
    assert doc.type == "idea"
    assert doc.municipalities == ["Kajaani", "Borgå", "091"]
    assert doc.published == date(2022, 5, 25)
    assert doc.laws == [{"title": "Laki julkisesta työvoima- ja yrityspalvelusta", "number": "916/2012", "section": "4 luku"}]
    assert doc.contacts[0]["email"] == "maija@kunta.fi"
    assert doc.body == "## Tausta\n\nTeksti."


def test_serialize_then_parse_is_identity():
    doc = parse_text(VALID)
    again = parse_text(serialize(doc))
    assert again == doc
    assert serialize(again) == serialize(doc)


def test_practice_period_and_status_round_trip():
    doc = EntryDocument(slug="kainuu", type="practice", title="Kainuu", summary="S.",
                        period_start=date(2021, 3, 1), period_end=date(2023, 6, 30), trial_status="ended")
    text = serialize(doc)
    assert "period:\n  start: 2021-03-01\n  end: 2023-06-30\n" in text
    assert parse(text, "content/practice/kainuu.md") == doc


@pytest.mark.parametrize(
    "front, key, fragment",
    [
        ("title: T\ntype: idea\nsummary: S\ncolour: red", "colour", "unknown key"),
        ("title: T\ntype: recipe\nsummary: S", "type", "not one of"),
        ("title: T\nsummary: S", "type", "missing"),
        ("title: ''\ntype: idea\nsummary: S", "title", "missing or empty"),
        ("title: T\ntype: idea\nsummary: S\npublished: 2022-13-45", "published", "not a date"),
        ("title: T\ntype: idea\nsummary: S\npublished: eilen", "published", "not a date"),
        ("title: T\ntype: idea\nsummary: S\nlanguage: de", "language", "not one of"),
        ("title: T\ntype: idea\nsummary: S\ntags: kannustin", "tags", "must be a list"),
        ("title: T\ntype: idea\nsummary: S\ntags: [a, A]", "tags[1]", "listed twice"),
        ("title: T\ntype: idea\nsummary: S\ntrial_status: ended", "trial_status", "only allowed for type practice"),
        ("title: T\ntype: idea\nsummary: S\nlaws: [{title: L, number: '12-2020'}]", "laws[0].number", "statute number"),
        ("title: T\ntype: idea\nsummary: S\nlaws: [{number: '1/2020'}]", "laws[0].title", "missing"),
        ("title: T\ntype: idea\nsummary: S\nlaws: [{title: L, chapter: 2}]", "laws[0].chapter", "unknown key"),
        ("title: T\ntype: idea\nsummary: S\nlinks: [{title: L, url: 'javascript:alert(1)'}]", "links[0].url", "http"),
        ("title: T\ntype: idea\nsummary: S\ncontacts: [{name: N, email: not-an-address}]", "contacts[0].email", "e-mail"),
        ("title: [1, 2]\ntype: idea\nsummary: S", "title", "must be text"),
    ],
)
def test_invalid_front_matter_names_file_and_key(front, key, fragment):
    with pytest.raises(ContentError) as caught:
        with_front(front)
    error = caught.value
    assert error.path == "content/idea/sotku.md"
    assert error.key == key
    assert fragment in error.message
    assert str(error).startswith(f"content/idea/sotku.md: {key}: ")


def test_practice_period_end_before_start_is_refused():
    with pytest.raises(ContentError, match="period.end"):
        with_front("title: T\ntype: practice\nsummary: S\nperiod: {start: 2023-01-01, end: 2022-01-01}",
                   "content/practice/x.md")


def test_type_must_match_its_folder():
    with pytest.raises(ContentError, match="does not match the folder"):
        with_front("title: T\ntype: norm\nsummary: S", "content/idea/x.md")


@pytest.mark.parametrize("text, fragment", [
    ("title: T\n", "must begin with a '---' line"),
    ("---\ntitle: T\ntype: idea\nsummary: S\n", "no closing"),
    ("---\ntitle: [unclosed\n---\n", "invalid YAML"),
    ("---\n- a list\n---\n", "must be a mapping"),
    ("---\n!!python/object/apply:os.system ['echo pwned']\n---\n", "invalid YAML"),
    ("---\ntitle: !!python/name:os.system\ntype: idea\nsummary: S\n---\n", "invalid YAML"),
])
def test_malformed_files_are_refused(text, fragment):
    with pytest.raises(ContentError, match=fragment.replace("[", r"\[").replace("(", r"\(")):
        parse_text(text)


def test_slug_comes_from_a_safe_file_name():
    with pytest.raises(ContentError, match="not a valid slug"):
        parse_text(VALID, "content/idea/Ääkkös nimi.md")


def test_windows_line_endings_and_bom_are_accepted():
    doc = parse_text("\ufeff" + VALID.replace("\n", "\r\n"))
    assert doc.title.startswith("SOTKU")


NORM = """---
title: Joustavat ryhmäkoot
type: norm
summary: S.
language: fi
proposal:
  action: trial_exemption
  justification: Pienet koulut.
  savings: Opettajien työaikaa.
  time: Kokeilun ajan.
  people: Noin 500 oppilasta.
  proposer_role: official
laws:
- title: Perusopetuslaki
  number: 628/1998
---

Runko.
"""


def test_norm_proposal_fields_round_trip():
    doc = parse(NORM, "content/norm/ryhmakoot.md")
    assert doc.proposal == {"action": "trial_exemption", "justification": "Pienet koulut.",
                            "savings": "Opettajien työaikaa.", "time": "Kokeilun ajan.",
                            "people": "Noin 500 oppilasta.", "proposer_role": "official"}
    assert serialize(doc) == NORM


@pytest.mark.parametrize("front, key", [
    ("proposal: {action: abolish}", "proposal.action"),
    ("proposal: {proposer_role: mayor}", "proposal.proposer_role"),
    ("proposal: {colour: red}", "proposal.colour"),
])
def test_bad_proposal_values_are_named(front, key):
    with pytest.raises(ContentError) as caught:
        parse(f"---\ntitle: T\ntype: norm\nsummary: S\n{front}\n---\n", "content/norm/x.md")
    assert caught.value.key == key


def test_proposal_only_for_norms():
    with pytest.raises(ContentError, match="only allowed for type norm"):
        parse("---\ntitle: T\ntype: idea\nsummary: S\nproposal: {action: remove}\n---\n", "content/idea/x.md")
