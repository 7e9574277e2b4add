"""Finnish analysis: base forms, compound parts, literals, bilingual names, graceful fallback."""

import logging
import re

import pytest

from ideapankki.config import CONTENT_DIR
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


def test_the_fast_token_pattern_splits_as_the_tokenizer_does():
    """_TOKEN_RE tries the numeric alternatives only at a digit (twice as fast): the same tokens."""
    from ideapankki.search.analysis import TOKEN_PATTERN, _TOKEN_RE

    plain = re.compile(TOKEN_PATTERN)
    texts = [path.read_text(encoding="utf-8") for path in sorted(CONTENT_DIR.rglob("*.md"))]
    texts.append("Laki 1065/2021, 65 § ja 3a § sekä 2 §; 1.3.2021, 12. maaliskuuta 2021, 2021-03-01, "
                 "50 000 euroa, 1 000 000/2020, 18–29 ja 65-vuotiaat, §§ 12 345/2021 Åbo ÄÖ_x 7b")
    for text in texts:
        assert [m.span() for m in _TOKEN_RE.finditer(text)] == [m.span() for m in plain.finditer(text)]
