"""The shipped thesaurus (ideapankki/data/vocabulary.yaml) is valid, large enough and covers every theme and region."""

from collections import Counter
from pathlib import Path

from ideapankki.reference import THEME_SLUGS, read_register
from ideapankki.vocabulary import SHIPPED_FILE, read_file

PROJECT = Path(__file__).resolve().parent.parent.parent
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


def test_a_theme_concept_has_the_names_the_site_shows_for_the_theme():
    from babel.messages.pofile import read_po

    from ideapankki.web.labels import THEME_LABELS

    names = {"en": {slug: label._args[0] for slug, label in THEME_LABELS.items()}}
    for language in ("fi", "sv"):
        with (PROJECT / "ideapankki" / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as fh:
            catalog = read_po(fh)
        names[language] = {slug: catalog[msgid].string for slug, msgid in names["en"].items()}
    themes = {c.theme: c for c in CONCEPTS if c.theme}
    for language, per_theme in names.items():
        for slug, name in per_theme.items():
            labels = [text.lower() for _kind, label_language, text in themes[slug].all_labels()
                      if label_language == language]
            assert name.lower() in labels, (slug, language, name)


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
