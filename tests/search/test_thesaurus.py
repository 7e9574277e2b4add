"""Query-time expansion through the thesaurus: each class with real entries, exact matches first,
and an edit seen by another worker's index on the next search, without a reindex."""

import pytest

from factories import make_user
from ideapankki import vocabulary
from ideapankki.changes import site_version
from ideapankki.models import Role
from ideapankki.search import SearchIndex
from ideapankki.vocabulary_format import Concept

BODY = "## Tausta\n\n{}\n\n## Tulokset\n\nKokeilusta kerättiin palautetta ja se jatkuu."


def add(bench, slug, title, text, **fields):
    return bench.add(slug, title=title, summary=text.split(".")[0] + ".", body=BODY.format(text), **fields)


def _fill(bench):
    add(bench, "toimeentulotuen-neuvonta", "Toimeentulotuen hakemisen neuvonta kirjastossa",
        "Kunta neuvoo toimeentulotuen hakemisessa ja ohjaa asiakkaat Kelan palveluihin.")
    add(bench, "esiopetuksen-liikunta", "Liikuntaa esiopetuksen arkeen",
        "Esiopetusryhmät liikkuvat päivittäin ulkona ja esiopetuksen opettajat saavat koulutusta.")
    add(bench, "hyvinvoinnin-edistaminen-kunnassa", "Hyvinvoinnin ja terveyden edistäminen kunnan johtamisessa",
        "Kunta kokoaa hyvinvoinnin ja terveyden edistämisen tavoitteet talousarvioon.")
    add(bench, "nuorisotyo-kylilla", "Liikkuva nuorisotyö kylille",
        "Nuorisotyöntekijät kiertävät pakettiautolla kyliä, joissa ei ole nuorisotilaa.")
    add(bench, "ungdomsarbete-i-skargarden", "Ungdomsarbete i skärgården",
        "Ungdomsarbetare besöker öarna varje vecka.", language="sv")
    add(bench, "kierratys-tapahtumat", "Kierrätystapahtumat kouluilla",
        "Oppilaat keräävät vaatteita ja tavaroita uudelleenkäyttöön.", themes=["ymparisto"])
    add(bench, "rovaniemen-kyytipalvelu", "Kyläläisten kyytipalvelu",
        "Kyläläiset yhdistävät asiointimatkansa samaan autoon.", municipalities=["Rovaniemi"])
    add(bench, "julkiset-hankinnat-pk-yrityksille", "Julkiset hankinnat pienille yrityksille",
        "Kunta jakaa hankinnat osiin, jotta paikalliset yritykset voivat tarjota.")
    return bench


@pytest.fixture
def entries(bench):
    """The eight entries in a bank of this test's own, for a test that edits the vocabulary."""
    return _fill(bench)


@pytest.fixture(scope="module")
def shared(module_bench):
    """The same eight entries once per module (and database kind), for the tests that only search."""
    return _fill(module_bench)


@pytest.fixture
def bank(shared, reading):
    """`shared`, and the test fails if it wrote to the database (tests/search/conftest.py `reading`)."""
    return reading(shared)


CLASSES = {
    "toimari": "toimeentulotuen-neuvonta",  # colloquial word → the official one
    "esikoulussa": "esiopetuksen-liikunta",  # an inflected everyday word
    "hyte": "hyvinvoinnin-edistaminen-kunnassa",  # an acronym → its written-out form (a phrase)
    "förskolan": "esiopetuksen-liikunta",  # Swedish → a Finnish entry
    "youth work": "nuorisotyo-kylilla",  # English → a Finnish entry
    "nuorisotyö": "ungdomsarbete-i-skargarden",  # Finnish → a Swedish entry
    "public procurement": "julkiset-hankinnat-pk-yrityksille",
    "ympäristö": "kierratys-tapahtumat",  # a theme's name → its entries, though their text never says it
    "Lapland": "rovaniemen-kyytipalvelu",  # a region's name → its municipalities' entries
    "Lapissa": "rovaniemen-kyytipalvelu",
}


def test_each_class_finds_the_entry(bank):
    found = {query: bank.slugs(query)[:3] for query in CLASSES}
    assert {query: expected for query, expected in CLASSES.items() if expected not in found[query]} == {}, found


def test_without_the_thesaurus_those_queries_find_nothing(bank, monkeypatch):
    """The same index, searched without expansion: the words as typed are not in the texts."""
    monkeypatch.setattr(bank.index.vocabulary, "current", lambda: None)  # the shared bank's again after the test
    for query in ("toimari", "hyte", "förskolan", "youth work", "ympäristö"):
        assert bank.slugs(query) == [], query


def test_an_exact_match_always_ranks_above_an_expansion(bench):
    """The expansion (esiopetus, in the title and summary) scores high; the typed word (esikoulu,
    once in the body) still comes first."""
    add(bench, "esiopetus-ulkona", "Esiopetus ulkona: esiopetuksen metsäpäivät",
        "Esiopetus siirtyy kerran viikossa metsään, ja esiopetuksen ryhmät retkeilevät.")
    add(bench, "kirjaston-satutunnit", "Kirjaston satutunnit",
        "Kirjasto järjestää satutunteja päiväkodeille ja lähialueen esikoululle.")
    assert bench.slugs("esikoulu") == ["kirjaston-satutunnit", "esiopetus-ulkona"]


def test_results_say_which_language_each_entry_is_in(bank):
    response = bank.index.search("ungdomsarbete")
    assert {(h.slug, h.language) for h in response.hits} >= {("ungdomsarbete-i-skargarden", "sv"),
                                                            ("nuorisotyo-kylilla", "fi")}


def test_an_edit_is_seen_by_another_worker_at_its_next_search_without_a_reindex(entries, session, tmp_path):
    other = SearchIndex(tmp_path / "other-worker", entries.engine)  # another process's index, same database
    other.catch_up()
    assert other.search("kyytiringi").hits == []
    before = site_version(entries.engine)
    moderator = make_user(session, "moderaattori@example.fi", role=Role.moderator)
    concept = vocabulary.concept(session, "taksi")  # its labels include kyytipalvelu
    concept.hidden.setdefault("fi", []).append("kyytiringi")
    vocabulary.save_concept(session, moderator, concept, "taksi")
    session.commit()
    assert site_version(entries.engine) != before  # the pages' ETags move with it
    assert [h.slug for h in other.search("kyytiringi").hits] == ["rovaniemen-kyytipalvelu"]
    assert [h.slug for h in entries.index.search("kyytiringi").hits] == ["rovaniemen-kyytipalvelu"]


def test_a_thesaurus_prepared_before_the_fork_is_adopted_until_the_vocabulary_changes(entries, session, tmp_path):
    from ideapankki.search import thesaurus_cache

    prepared = thesaurus_cache.prepare(entries.engine, entries.index.voikko)  # the server's master, before forking
    try:
        worker = SearchIndex(tmp_path / "worker", entries.engine)
        assert worker.vocabulary.current() is prepared  # nothing built on a reader's first search
        worker.catch_up()
        moderator = make_user(session, "moderaattori@example.fi", role=Role.moderator)
        concept = vocabulary.concept(session, "taksi")
        concept.hidden.setdefault("fi", []).append("kyytiringi")
        vocabulary.save_concept(session, moderator, concept, "taksi")
        session.commit()
        assert worker.vocabulary.current() is not prepared
        assert [h.slug for h in worker.search("kyytiringi").hits] == ["rovaniemen-kyytipalvelu"]
    finally:
        thesaurus_cache._PREPARED.clear()


def test_a_broader_concept_reaches_its_narrower_ones_below_its_synonyms_and_the_typed_word(bench):
    """perusterveydenhuolto (primary care) is broader than terveyskeskus (health centre): a search for
    primary care finds the health-centre entry, below an entry that names primary care's synonym
    and below one that uses the word as typed."""
    add(bench, "terveysaseman-iltavastaanotto", "Terveysaseman iltavastaanotto",
        "Terveysasema pitää vastaanottoa kahtena iltana viikossa.")
    add(bench, "perusterveydenhoidon-jonot", "Perusterveydenhoidon jonot lyhyemmiksi",
        "Perusterveydenhoidon hoitajat ottavat kiireettömät asiakkaat.")
    add(bench, "sote-strategia", "Hyvinvointialueen strategia",
        "Strategiassa mainitaan myös perusterveydenhuolto.")
    assert bench.slugs("perusterveydenhuolto") == [
        "sote-strategia", "perusterveydenhoidon-jonot", "terveysaseman-iltavastaanotto"]
    assert bench.slugs("terveyskeskus") == ["terveysaseman-iltavastaanotto"]  # never upwards


def test_databases_with_the_same_thesaurus_share_its_compilation_and_an_edit_compiles_another(
        entries, session, databases):
    """Compiling is most of a reload: it is done once per content (a hash of what was read), not per
    database; versions are not comparable across databases, so each keeps its own."""
    from ideapankki.db import create_db_engine
    from ideapankki.search.thesaurus_cache import VocabularyCache

    mine = entries.index.vocabulary.current()
    other_engine = create_db_engine(databases.fresh())  # the same shipped thesaurus
    try:
        others = VocabularyCache(other_engine, entries.index.voikko).current()
        assert others is not mine and others._first is mine._first and others._queries is mine._queries
        moderator = make_user(session, "moderaattori@example.fi", role=Role.moderator)
        concept = vocabulary.concept(session, "taksi")
        concept.hidden.setdefault("fi", []).append("kyytiringi")
        vocabulary.save_concept(session, moderator, concept, "taksi")
        session.commit()
        edited = entries.index.vocabulary.current()
        assert edited._first is not others._first and edited.knows("kyytiringi") and not others.knows("kyytiringi")
        assert VocabularyCache(other_engine, entries.index.voikko).current()._first is others._first
    finally:
        other_engine.dispose()


def test_a_concepts_label_words_go_to_voikko_in_one_message(bank, monkeypatch):
    """Expanding a concept asks Voikko of every word of its labels in every field (a Swedish word
    too: "Vaasassa" is Vasa): those not yet known go in one message, not one a word (a search
    through the Voikko service paid a round trip per Swedish and English label word)."""
    from ideapankki.search import analysis, voikko
    from ideapankki.search.thesaurus import Thesaurus

    if not analysis.voikko_available():
        pytest.skip("pyvoikko is not installed")
    compiled = bank.index.vocabulary.current()
    ci = next(i for i, c in enumerate(compiled.concepts) if any(label.text == "youth work" for label in c.labels))
    fresh = Thesaurus(compiled.concepts, True, compiled.version)
    words = {w for label in compiled.concepts[ci].labels for w in label.words if label.language != "fi"}
    for word in words:
        analysis.LEMMAS.pop(word, None)
    single, batches = [], []
    monkeypatch.setattr(voikko, "analyse", lambda word, real=voikko.analyse: single.append(word) or real(word))
    monkeypatch.setattr(voikko, "analyse_many", lambda ws, real=voikko.analyse_many: batches.append(ws) or real(ws))
    with bank.index.readers.searcher() as searcher:
        assert fresh._concept_query(searcher.schema, ci, True) is not None
    assert single == [] and len(batches) == 1 and words <= set(batches[0])
