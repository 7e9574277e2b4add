"""The same quantity written differently finds the same entries; an unrelated number does not."""

import pytest

from ideapankki.search.numbers import number_word, numeral_value, query_forms


@pytest.fixture(scope="module")
def shared(module_bench):  # the tests only search: one bank per module
    bench = module_bench
    bench.add("seteli", title="Liikuntaseteli 65 vuotta täyttäneille", summary="Seteli kotiin.",
              body="Jokainen 65 vuotta täyttänyt saa setelin uimahalliin.")
    bench.add("tarkastus", title="Kuusikymmentäviisivuotiaiden hyvinvointitarkastukset", summary="Kutsu kaikille.",
              body="Kaikki kuusikymmentäviisivuotiaat kutsutaan tarkastukseen.")
    bench.add("laki", title="Sähköinen tiedoksianto", summary="Suostumus pois.",
              body="Lain 1065/2021 jälkeen 65 § ja 66 § viittaavat eri menettelyihin.")
    bench.add("ohjaamo", title="Ohjaamo nuorille", summary="Neuvontaa 18–29-vuotiaille.", body="Ilman ajanvarausta.")
    bench.add("asunto", title="Asuntoneuvonta", summary="Nuorille aikuisille.", body="Palvelu on 18-29 vuotiaille.")
    bench.add("alkoi", title="Kuntalisä alkoi", summary="Haku avautui.", body="Lisä käynnistyi 1.3.2021 Kemissä.")
    bench.add("kuussa", title="Avustusten haku", summary="Yksi hakuaika.", body="Haku päättyy 1. maaliskuuta 2021.")
    bench.add("hissi", title="Hissiavustus", summary="Taloyhtiöille.", body="Avustus on enintään 50 000 euroa hissiä kohden.")
    bench.add("kylat", title="Kylien kehittämisraha", summary="Kylätoimikunnille.", body="Rahaa on 50000 € vuodessa.")
    bench.add("pyorat", title="Pyöräteiden korjaus", summary="Talousarvio.", body="Varattiin 500 000 euroa vuodessa.")
    bench.add("kolme", title="Kolmevuotiaiden kielitaito", summary="Neuvolassa.", body="Arvio leikin avulla.")
    return bench


@pytest.fixture
def bank(shared, reading):
    return reading(shared)


@pytest.mark.parametrize("typed", ["65-vuotiaat", "65 vuotta täyttäneet", "kuusikymmentäviisivuotiaat"])
def test_an_age_in_digits_or_words_finds_both(bank, typed):
    assert set(bank.slugs(typed)[:2]) == {"seteli", "tarkastus"}
    assert "laki" not in bank.slugs(typed)  # 1065/2021 and 65 § are not the age 65


def test_a_range_with_an_en_dash_or_a_hyphen(bank):
    assert set(bank.slugs("18–29-vuotiaat")[:2]) == {"ohjaamo", "asunto"}
    assert set(bank.slugs("18-29")[:2]) == {"ohjaamo", "asunto"}


def test_a_single_digit_age_and_its_number_word(bank):
    assert bank.slugs("3-vuotiaat")[0] == "kolme"


def test_a_date_in_either_form(bank):
    assert set(bank.slugs("1.3.2021")) == {"alkoi", "kuussa"}
    assert set(bank.slugs("1. maaliskuuta 2021")) == {"alkoi", "kuussa"}
    assert {"alkoi", "kuussa"} <= set(bank.slugs("2021"))  # the year of a date still finds it


def test_an_amount_with_or_without_the_space(bank):
    for typed in ("50 000 euroa", "50000 €"):
        found = bank.slugs(typed)
        assert set(found[:2]) == {"hissi", "kylat"}, typed
    assert bank.slugs("500 000") == ["pyorat"]


def test_number_words():
    assert [numeral_value(w) for w in ("kuusikymmentäviisi", "kahdeksantoista", "kaksisataaviisikymmentä",
                                       "kolmetuhattakaksisataa", "kymmenen")] == [65, 18, 250, 3200, 10]
    assert numeral_value("kuusikko") is None and number_word("kaksikielinen") == ()
    assert number_word("seitsemänkymmentäviisivuotiaille") == ("75", "vuotias")
    assert query_forms("kuusi") == ["kuusi", "6"]  # the tree too: the word stays
    assert query_forms("1.3.2021") == ["2021-03-01"] and query_forms("vuotiaat") == ["vuotias"]
