"""The shipped thesaurus (ideapankki/data/vocabulary.yaml) is valid, large enough and covers every theme and region."""

from collections import Counter

from ideapankki.reference import THEME_SLUGS, read_register
from ideapankki.vocabulary import SHIPPED_FILE, read_file

CONCEPTS = read_file(SHIPPED_FILE)  # parse_vocabulary checks ids, labels and links; a problem raises here


def test_at_least_400_concepts_with_unique_ids_and_labels():
    assert len(CONCEPTS) >= 400
    assert len({c.key for c in CONCEPTS}) == len(CONCEPTS)
    labels = Counter((language, text.lower()) for c in CONCEPTS for _kind, language, text in c.all_labels())
    assert [label for label, n in labels.items() if n > 1] == []


def test_links_resolve_and_most_concepts_have_all_three_languages():
    keys = {c.key for c in CONCEPTS}
    assert all(target in keys for c in CONCEPTS for target in [*c.broader, *c.related])
    assert sum(1 for c in CONCEPTS if c.broader or c.related) >= 0.9 * len(CONCEPTS)
    trilingual = [c for c in CONCEPTS if all(c.pref(language) for language in ("fi", "sv", "en"))]
    assert len(trilingual) >= 0.95 * len(CONCEPTS)


def test_every_theme_is_a_concept_in_fi_sv_and_en():
    themes = {c.theme: c for c in CONCEPTS if c.theme}
    assert set(themes) == set(THEME_SLUGS)
    for concept in themes.values():
        assert concept.pref("fi") and concept.pref("sv") and concept.pref("en"), concept.key


def test_every_region_is_a_concept_named_as_the_register_names_it():
    regions = {c.region: c for c in CONCEPTS if c.region}
    register = {m.region_code: (m.region_fi, m.region_sv) for m in read_register()}
    assert set(regions) == set(register)
    for code, (name_fi, name_sv) in register.items():
        assert regions[code].pref("fi") == name_fi
        assert regions[code].pref("sv") == name_sv
        assert regions[code].pref("en")


def test_the_words_readers_type_are_labels():
    labels = {text.lower(): c.key for c in CONCEPTS for _kind, _language, text in c.all_labels()}
    expected = {"toimari": "toimeentulotuki", "esikoulu": "esiopetus", "ammattikoulu": "ammatillinen-koulutus",
                "omaishoitaja": "omaishoito", "hyte": "hyte", "avi": "lupa-ja-valvontavirasto",
                "ely-keskus": "ely-keskus", "te-palvelut": "te-palvelut", "hva": "hyvinvointialue",
                "kuuma": "kuuma-kunnat", "vakalaki": "varhaiskasvatuslaki", "päivähoitolaki": "varhaiskasvatuslaki",
                "vammaisten palvelut": "vammaispalvelut", "småbarnspedagogik": "varhaiskasvatus",
                "youth work": "nuorisotyo", "public procurement": "hankinta"}
    assert {word: labels.get(word) for word in expected} == expected
