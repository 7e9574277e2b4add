"""The field-by-field diff (pure): changed fields only, words marked, every field of the format read."""

import dataclasses
from datetime import date

from ideapankki.content import EntryDocument
from ideapankki.fielddiff import FieldChange, field_diff, fields, similarity, word_diff


def doc(**changes):
    base = dict(slug="s", type="norm", title="Joustavat ryhmäkoot", summary="Pienet kunnat voisivat joustaa.",
                body="Teksti.", municipalities=["Kuhmo"], proposal={"action": "loosen", "justification": "Koska."},
                laws=[{"title": "Perusopetuslaki", "number": "628/1998"}])
    return EntryDocument(**{**base, **changes})


def test_only_changed_fields_with_the_changed_words_marked():
    changes = field_diff(doc(), doc(summary="Pienet kunnat voisivat joustaa kokeilussa."))
    assert [c.key for c in changes] == ["summary"]
    assert [(s.kind, s.text) for s in changes[0].segments] == [
        ("same", "Pienet kunnat voisivat joustaa"), ("added", " kokeilussa"), ("same", ".")]


def test_structured_fields_compare_per_key_and_lists_per_line():
    changes = field_diff(doc(), doc(proposal={"action": "remove", "justification": "Koska."},
                                    laws=[{"title": "Perusopetuslaki", "number": "628/1998"},
                                          {"title": "Kuntalaki", "number": "410/2015"}]))
    assert [c.key for c in changes] == ["proposal.action", "laws"]
    assert changes[1].new.splitlines() == ["Perusopetuslaki · 628/1998", "Kuntalaki · 410/2015"]


def test_the_reader_names_the_values_and_a_removed_field_shows():
    show = lambda key, value: {"loosen": "Kevennetään", "remove": "Poistetaan"}.get(value, str(value))  # noqa: E731
    changes = field_diff(doc(), doc(proposal={"action": "remove"}), show)
    assert changes == [
        FieldChange("proposal.action", "Kevennetään", "Poistetaan", changes[0].segments),
        FieldChange("proposal.justification", "Koska.", "", changes[1].segments)]


def test_every_field_of_the_format_is_read_except_the_fixed_ones():
    keys = {k.split(".")[0] for k, _text in fields(doc(tags=["a"], origin="Hackathon", published=date(2022, 1, 1),
                                                      links=[{"title": "T", "url": "https://x.fi"}]))}
    names = {f.name for f in dataclasses.fields(EntryDocument)} - {"slug", "type", "published"}
    assert {"title", "summary", "body", "proposal", "laws", "links", "tags", "origin"} <= keys <= names


def test_a_rewritten_field_reads_as_replaced_and_no_change_is_empty():
    assert [s.kind for s in word_diff("Vanha lause tässä.", "Aivan toinen teksti nyt")] == ["removed", "added"]
    assert field_diff(doc(), doc()) == []


def test_similarity_of_a_near_copy():
    text = "Kirjastoauto kiertäisi kyläkoulut viikoittain ja toisi lainattavaa kaikille oppilaille."
    assert similarity(text, text.replace("viikoittain", "joka viikko")) > 0.8
    assert similarity(text, "Täysin eri aihe: katuvalot ja liikenne.") < 0.2
    assert similarity("", text) == 0.0
