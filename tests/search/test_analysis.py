"""Finnish analysis: base forms, compound parts, literals, bilingual names, graceful fallback."""

import logging

import pytest

from ideapankki.search import analysis


def tokens(text, analyzer=None):
    analyzer = analyzer or analysis.finnish_analyzer()
    return [t.text for t in analyzer(text)]


@pytest.mark.parametrize("word, expected", [
    ("perusopetuksen", {"perusopetus", "perus", "opetus"}),
    ("kunnissa", {"kunta"}),
    ("kuntien", {"kunta"}),
    ("kuntakokeilujen", {"kuntakokeilu", "kunta", "kokeilu"}),
    ("perusopetuslaissa", {"perusopetuslaki", "perus", "opetus", "laki"}),
    ("Helsingissä", {"helsinki", "helsingfors"}),
])
def test_words_become_base_forms_and_compound_parts(word, expected):
    assert set(tokens(word)) == expected


def test_fewest_parts_analysis_is_preferred():
    lemma = analysis.finnish_lemma("työttömyysturvan")
    assert "työttömyysturva" in lemma.forms
    assert all(len(form) > 4 for form in lemma.parts)


def test_law_numbers_and_sections_stay_whole():
    assert tokens("lain (1269/2020) 2 §:n nojalla") == ["laki", "1269/2020", "2§", "noja"]
    assert tokens("30 §") == tokens("30§") == ["30§"]


def test_swedish_names_carry_the_finnish_name():
    swedish = analysis.snowball_analyzer("sv")
    assert set(tokens("Vasa", swedish)) == set(tokens("Vaasa", swedish))
    assert len(tokens("Vasa", swedish)) == 2


def test_unknown_words_fall_back_to_snowball():
    lemma = analysis.finnish_lemma("hackathonien")
    assert not lemma.known
    assert lemma.forms == (analysis._FI_STEM("hackathonien"),)


def test_missing_voikko_falls_back_with_a_warning(monkeypatch, caplog):
    monkeypatch.setattr(analysis, "_voikko", None)
    monkeypatch.setattr(analysis, "_warned_missing", False)
    analysis.finnish_lemma.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="ideapankki.search.analysis"):
            result = tokens("kokeiluissa")
        assert result == [analysis._FI_STEM("kokeiluissa")] == ["kokeilu"]
        assert "pyvoikko is not installed" in caplog.text
    finally:
        analysis.finnish_lemma.cache_clear()


def test_stop_words_are_dropped():
    assert tokens("miten ja missä kunnat") == ["kunta"]
