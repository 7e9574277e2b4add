"""Corrections that never harm: recognised words, names, acronyms and indexed words stay as typed;
missing diacritics and real typos are corrected from the index's own words."""

import pytest

from ideapankki.search.spelling import allowed_edits, capitals, fold, protected

JOTEN = ("Kirjaston aukioloajat joustaviksi", "Omatoimikirjasto kaikkiin kirjastoihin.",
         "Henkilökunta on paikalla päivällä, joten työssäkäyvät eivät ehdi. Kirjautuminen kortilla, joten "
         "kirjastoon pääsee illalla. Idea on kirjattu, joten se käsitellään.")
SUURTEN = ("Suurten kaupunkien joukkoliikenne", "Suurten kaupunkien linjasto.",
           "Suurten kaupunkien bussit kulkevat tiheään, ja suurten asemien vaihdot ovat lyhyitä.")


@pytest.fixture(scope="module")
def shared(module_bench):  # the tests only search: one bank per module
    bench = module_bench
    bench.add("joten", title=JOTEN[0], summary=JOTEN[1], body=JOTEN[2])
    bench.add("suurten", title=SUURTEN[0], summary=SUURTEN[1], body=SUURTEN[2])
    bench.add("tilat", title="Koulujen tilojen käyttö iltaisin",
              summary="Yhdistysten käyttö koulujen tiloissa.", body="Tilojen käyttö kasvoi, kun varaus siirtyi verkkoon.")
    bench.add("paatos", title="Nuoret mukaan päätöksentekoon",
              summary="Nuorisovaltuusto ja päätöksenteko.", body="Päätöksenteko avautuu nuorille lautakunnissa.")
    bench.add("yhteistyo", title="Kuntien yhteistyö ympäristöterveydenhuollossa",
              summary="Seudullinen yhteistyö.", body="Yhteistyö paransi sijaisjärjestelyjä kuntien välillä.")
    bench.add("vasu", title="Varhaiskasvatussuunnitelma tulkin kanssa",
              summary="Lapsen varhaiskasvatussuunnitelma.", body="Jokaiselle laaditaan varhaiskasvatussuunnitelma.")
    bench.add("salo", title="Valtuusto verkossa", summary="Kokoukset suorana.", body="Valtuuston kokoukset lähetetään.",
              municipalities=["Salo"])
    return bench


@pytest.fixture
def bank(shared, reading):
    return reading(shared)


def test_an_acronym_is_never_corrected_into_a_common_word(bank):
    response = bank.index.search("sote")
    assert response.suggestion is None and not response.corrected
    assert "joten" not in [h.slug for h in response.hits]
    for typed in ("hyte", "AVI", "KUUMA-kunnat"):
        assert bank.index.search(typed).suggestion is None, typed


def test_a_recognised_word_is_never_replaced(bank):
    response = bank.index.search("nuorten")
    assert response.suggestion is None and not response.corrected
    assert "suurten" not in [h.slug for h in response.hits]


def test_a_municipality_is_never_respelled(bank):
    response = bank.index.search("Salo")
    assert response.suggestion is None and [h.slug for h in response.hits] == ["salo"]


@pytest.mark.parametrize("typed, meant, slug", [
    ("kaytto", "käyttö", "tilat"),
    ("paatoksenteko", "päätöksenteko", "paatos"),
    ("yhteistyo", "yhteistyö", "yhteistyo"),
])
def test_missing_dots_find_the_word_with_them(bank, typed, meant, slug):
    response = bank.index.search(typed)
    assert response.suggestion == meant and response.corrected
    assert [h.slug for h in response.hits][0] == slug


def test_two_edits_in_a_long_word_are_corrected(bank):
    response = bank.index.search("varhaiskasvatussunitelma")
    assert response.suggestion == "varhaiskasvatussuunnitelma" and response.corrected
    assert [h.slug for h in response.hits] == ["vasu"]


def test_with_results_the_typed_words_stay_and_the_correction_is_offered(bank):
    response = bank.index.search("kuntien yhteistyo")
    assert not response.corrected and response.suggestion == "kuntien yhteistyö"
    assert [h.slug for h in response.hits][0] == "yhteistyo"


def test_search_instead_for_the_words_as_typed(bank):
    response = bank.index.search("kaytto", respell=False)
    assert response.total == 0 and response.suggestion is None


def test_the_rules_for_protected_words():
    assert fold("päätöksenteko") == "paatoksenteko" and fold("Åland".lower()) == "aland"
    assert capitals("Mitä AVI ja HVA tekevät, kysyy Kela") == {"avi", "hva"}
    assert [allowed_edits(w) for w in ("sote", "kirjsto", "joukkoliikene")] == [0, 1, 2]
    assert protected("sote", True) and protected("ylitornio", True) and protected("kela", True, {"kela"})
    assert protected("1269/2020", True) and not protected("kirjsto", True)

