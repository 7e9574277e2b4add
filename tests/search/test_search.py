"""Finnish search behaviour over real entries: each case from the search issue, proven."""

from datetime import date

import pytest

from ideapankki.models import EntryState

LAW_TEXT = ("Kokeilussa sovelletaan lain työllisyyden edistämisen kuntakokeilusta (1269/2020) 2 §:n "
            "määritelmiä työttömästä työnhakijasta.")


@pytest.mark.parametrize("query, text", [
    ("perusopetus", "Pienet koulut järjestävät perusopetuksen yhdysluokissa."),
    ("kunta", "Kokeilua tehtiin useissa kunnissa."),
    ("kunta", "Kuntien yhteistyö vahvistui."),
    ("kuntakokeilujen", "Tulokset kuntakokeilussa olivat hyviä."),
])
def test_inflected_forms_find_each_other(bench, query, text):
    bench.add("osuma", title="Otsikko", summary="Tiivistelmä.", body=text)
    bench.add("muu", title="Asumisen tuki", summary="Muuta.", body="Vuokra-asuntojen rakentaminen.")
    assert bench.slugs(query) == ["osuma"]


@pytest.mark.parametrize("query, text", [
    ("kokeilu", "Kuntakokeilu alkoi keväällä."),
    ("opetus", "Perusopetuslaki määrää opetuksen järjestämisestä."),
    ("henkilöstömitoitus", "Palveluasumisessa henkilöstön mitoitus on tiukka."),
])
def test_compound_words_match_their_parts(bench, query, text):
    bench.add("osuma", title="Otsikko", summary="Tiivistelmä.", body=text)
    bench.add("muu", title="Asumisen tuki", summary="Muuta.", body="Vuokra-asuntojen rakentaminen.")
    assert bench.slugs(query) == ["osuma"]


def test_swedish_municipality_name_finds_finnish_entries_and_back(bench):
    bench.add("helsinki", title="Palkkatuki pääkaupungissa", summary="S.", body="Helsingissä kokeiltiin.",
              municipalities=["Helsinki"])
    bench.add("vasa", language="sv", title="Språkvänner", summary="S.", body="Projektet i Vasa lockade många.")
    assert bench.slugs("Helsingfors") == ["helsinki"]
    assert bench.slugs("Vaasa") == ["vasa"]
    assert bench.slugs("Vaasassa") == ["vasa"]


@pytest.mark.parametrize("query", ["1269/2020", "kuntakokeilulaki 2 §", "lakia työllisyyden edistämisen kuntakokeilusta"])
def test_law_references_match_number_name_and_section(bench, query):
    bench.add("laki", type="norm", title="Osa-aikatyö", summary="S.", body=LAW_TEXT,
              laws=[{"title": "Laki työllisyyden edistämisen kuntakokeilusta", "number": "1269/2020", "section": "2 §"}])
    bench.add("muu", type="norm", title="Perusopetus", summary="S.", body="Perusopetuslaki (628/1998) 30 §.",
              laws=[{"title": "Perusopetuslaki", "number": "628/1998"}])
    assert bench.slugs(query)[0] == "laki"
    assert "muu" not in bench.slugs("1269/2020")


def test_section_alone_matches_however_it_is_spaced(bench):
    bench.add("pykala", title="T", summary="S.", body="Perusopetuslain 30 §:n mukaan ryhmät.")
    assert bench.slugs("30§") == bench.slugs("30 §") == ["pykala"]


def test_title_match_ranks_above_body_match(bench):
    bench.add("runko", title="Kokeilu", summary="S.", body="Tässä mainitaan omavalmentaja ohimennen.")
    bench.add("otsikko", title="Omavalmentaja työnhakijalle", summary="S.", body="Malli.")
    assert bench.slugs("omavalmentaja") == ["otsikko", "runko"]


def test_all_words_rank_above_some_words_but_partial_matches_remain(bench):
    bench.add("kaikki", title="Etäopetus", summary="S.", body="Etäopetus pienissä kouluissa.")
    bench.add("osa", title="Kyläkoulut", summary="S.", body="Kyläkoulujen etäopetus yhdistyy lähiopetukseen.")
    bench.add("yksi", title="Koulukyyti", summary="S.", body="Pienissä kunnissa koulumatkat ovat pitkiä.")
    ranking = bench.slugs("voiko etäopetusta antaa pienissä kunnissa")
    assert ranking[0] in {"kaikki", "osa"} and set(ranking) == {"kaikki", "osa", "yksi"}
    assert bench.slugs("etäopetus kunnissa")[-1] in {"osa", "kaikki", "yksi"}


def test_typo_gets_a_suggestion_and_its_results(bench):
    bench.add("oma", title="Omavalmentaja", summary="S.", body="Omavalmentaja tukee työnhakijaa.")
    response = bench.index.search("omavalmentja")
    assert response.suggestion == "omavalmentaja" and response.corrected
    assert [h.slug for h in response.hits] == ["oma"]


def test_few_hits_offer_a_respelling_without_replacing_results(bench):
    bench.add("a", title="Kokeilurekisteri", summary="S.", body="Kuntakokeilu ja rekisteri.")
    bench.add("c", title="Kuntakokeilu", summary="S.", body="Toinen kuntakokeilu.")
    bench.add("b", title="Kuntakokelu", summary="S.", body="Kirjoitusvirhe otsikossa.")
    response = bench.index.search("kuntakokelu")
    assert [h.slug for h in response.hits] == ["b"]
    assert response.suggestion == "kuntakokeilu" and not response.corrected


def test_no_suggestion_when_the_query_finds_enough(bench):
    for i in range(3):
        bench.add(f"e{i}", title=f"Kuntakokeilu {i}", summary="S.", body="Teksti.")
    assert bench.index.search("kuntakokeilu").suggestion is None


def test_highlights_mark_the_matched_inflected_words_and_escape_text(bench):
    bench.add("hl", title="T", summary="S.", body="Kunnissa kokeiltiin mallia 5 < 6, ja **perusopetuksen** tulos parani.")
    (hit,) = bench.index.search("perusopetus").hits
    assert "<mark" in hit.highlight and ">perusopetuksen</mark>" in hit.highlight
    assert "5 &lt; 6" in hit.highlight


def test_highlights_read_where_the_body_s_tokens_are_as_stored_and_mark_the_same_words(bench):
    """Where each body's tokens are is stored when it is indexed (forms.HIGHLIGHT_FORMS), special tokens
    (sections, law numbers) or not; the snippets are those of tokenising the text afresh."""
    from ideapankki.search import highlight as hl
    from ideapankki.search.forms import HIGHLIGHT_FORMS, body_spans

    bench.add("plain", title="T", summary="S.", body="Kunnissa kokeiltiin kuntien mallia; kunta_x ja Kunta.")
    bench.add("law", title="T", summary="S.", body="Kunnissa sovellettiin 12 § ja lakia 410/2015 vuonna 2024.")
    searcher = bench.index.store.open().searcher()
    try:
        stored = {doc["slug"]: doc for doc in searcher.all_stored_fields()}
    finally:
        searcher.close()
    assert body_spans(stored["law"][HIGHLIGHT_FORMS], {"410/2015", "kunta"}) == [(0, 8), (36, 44)]
    terms = {"kunta", "laki", "410/2015"}
    for doc in stored.values():
        text = doc["body_fi"]
        afresh = hl.highlight(text, terms, "fi", bench.index.finnish)
        assert afresh and hl.highlight(text, terms, "fi", bench.index.finnish, forms=doc[HIGHLIGHT_FORMS],
                                       body=True) == afresh
        assert body_spans(doc[HIGHLIGHT_FORMS], terms) == hl._found(text, hl.matching(doc[HIGHLIGHT_FORMS], terms), None)
    assert {hit.slug: hit.highlight for hit in bench.index.search("kunta").hits}["plain"] == hl.highlight(
        stored["plain"]["body_fi"], {"kunta"}, "fi", bench.index.finnish)


def test_each_document_stores_its_tokens_by_form_and_highlights_read_them(bench):
    """The title's, summary's and body's tokens are stored grouped by analysed form when the entry is
    indexed (forms.HIGHLIGHT_FORMS): the snippets are those of analysing the text afresh, and
    highlighting keeps nothing in the process (the same answers whatever was searched before)."""
    from ideapankki.search import highlight as hl
    from ideapankki.search.forms import HIGHLIGHT_FORMS, matching

    bench.add("forms", title="Kuntien kokeilu", summary="Kunta kokeili.",
              body="Kunnissa sovellettiin 12 § ja lakia 410/2015; kunta_x ja Kunta.")
    searcher = bench.index.store.open().searcher()
    try:
        (doc,) = [d for d in searcher.all_stored_fields() if d["slug"] == "forms"]
    finally:
        searcher.close()
    assert matching(doc[HIGHLIGHT_FORMS], {"kunta"}) == {"Kuntien", "Kunta", "Kunnissa"}
    assert matching(doc[HIGHLIGHT_FORMS], {"410/2015", "nothing"}) == {"410/2015"}
    for terms in ({"kunta"}, {"laki", "410/2015"}, {"kokeilla", "kokeilu"}, {"nothing"}):
        for name in ("title", "summary", "body"):
            text = doc[f"{name}_fi"]
            assert hl.highlight(text, terms, "fi", bench.index.finnish, forms=doc[HIGHLIGHT_FORMS]) == hl.highlight(
                text, terms, "fi", bench.index.finnish)
    assert not hasattr(hl, "_VOCABULARIES")
    first = [hit.highlight for hit in bench.index.search("kunta").hits]
    bench.index.search("laki kokeilu")
    assert [hit.highlight for hit in bench.index.search("kunta").hits] == first


def test_stored_fields_are_written_without_zlib_and_older_segments_still_read(bench):
    """New segments keep stored fields plain (schema.PlainStoredCodec); a segment an older version
    wrote (IndexCodec, zlib) in the same generation reads as before, its hits highlighted alike."""
    from ideapankki.search.schema import IndexCodec, PlainStoredCodec
    from ideapankki.search.whoosh_private import PlainStoredReader

    bench.add("new", title="Uusi", summary="S.", body="Kunnissa kokeiltiin uutta.")
    ix = bench.index.store.open()
    with ix.searcher() as searcher:
        (segment, _offset), = searcher.reader().leaf_readers()
        assert type(segment.segment().codec()) is PlainStoredCodec and isinstance(segment._perdoc, PlainStoredReader)
        new_doc = searcher.document(slug="new")
    old = dict(new_doc, id="999999", slug="old")
    writer = ix.writer(codec=IndexCodec())  # as a version before LAYOUT 2 wrote its segments
    writer.add_document(**old)
    writer.commit(merge=False)
    ix.close()
    bench.index.readers._local.searcher = None
    hits = {hit.slug: hit.highlight for hit in bench.index.search("kunta").hits}
    assert hits["old"] == hits["new"] and "<mark>Kunnissa</mark>" in hits["new"]


def test_facets_count_within_the_query_and_combine_with_filters(bench):
    bench.add("a", type="practice", title="Kokeilu A", summary="S.", themes=["tyollisyys"], municipalities=["Kajaani"])
    bench.add("b", type="idea", title="Kokeilu B", summary="S.", themes=["koulutus"], municipalities=["Porvoo"])
    bench.add("c", type="idea", title="Asuminen", summary="S.", themes=["tyollisyys"])
    response = bench.index.search("kokeilu")
    assert dict(response.facets["type"]) == {"practice": 1, "idea": 1}
    assert dict(response.facets["theme"]) == {"tyollisyys": 1, "koulutus": 1}
    assert dict(response.facets["region"]) == {"FI1D8": 1, "FI1B1": 1}
    assert bench.slugs("kokeilu", filters={"type": "idea"}) == ["b"]
    assert bench.slugs("", filters={"theme": "tyollisyys", "type": "idea"}) == ["c"]
    filtered = bench.index.search("kokeilu", _filters(type="idea"))
    assert dict(filtered.facets["type"]) == {"practice": 1, "idea": 1}  # a facet ignores its own filter
    assert dict(filtered.facets["theme"]) == {"koulutus": 1}


def _filters(**kw):
    from ideapankki.search.filters import Filters

    return Filters(**kw)


def test_sort_by_newest_and_pagination(bench):
    for i, year in enumerate((2020, 2024, 2022)):
        bench.add(f"e{i}", title=f"Kokeilu {i}", summary="S.", published=date(year, 1, 1))
    assert bench.slugs("kokeilu", sort="newest") == ["e1", "e2", "e0"]
    second = bench.index.search("kokeilu", sort="newest", page=2, per_page=2)
    assert second.total == 3 and [h.slug for h in second.hits] == ["e0"]


@pytest.mark.parametrize("state", [EntryState.draft, EntryState.submitted, EntryState.in_review,
                                   EntryState.returned, EntryState.rejected, EntryState.archived])
def test_unpublished_entries_never_appear(bench, state):
    public = bench.add("julkinen", title="Omavalmentaja", summary="Julkaistu.", body="Omavalmentaja tukee.")
    bench.add("salainen", state=state, title="Omavalmentaja salaa", summary="Luonnos.", body="Omavalmentaja tukee.")
    assert bench.slugs("omavalmentaja") == ["julkinen"]
    assert bench.slugs("omavalmentja") == ["julkinen"]
    assert [i for i, _s in bench.index.similar("Omavalmentaja salaa")] == [public.id]
    assert bench.index.more_like(public.id) == []


def test_unpublishing_removes_from_the_index(bench, session):
    entry = bench.add("poistuva", title="Omavalmentaja", summary="S.")
    assert bench.slugs("omavalmentaja") == ["poistuva"]
    from ideapankki.workflow import place_by_operator

    place_by_operator(session, entry, EntryState.archived, "test")
    session.commit()
    bench.index.catch_up()
    assert bench.slugs("omavalmentaja") == []


def test_more_like_this_finds_related_published_entries(bench):
    a = bench.add("a", title="Etäopetus pienissä kouluissa", summary="S.",
                  body="Etäopetus auttaa pieniä kouluja. Opettajat opettavat etänä useaa koulua.")
    bench.add("b", title="Etäopetuksen kokeilu", summary="S.", body="Etäopetus ja opettajat pienissä kouluissa.")
    bench.add("c", title="Vuokra-asunnot", summary="S.", body="Asuntojen rakentaminen ja vuokrat.")
    assert bench.index.more_like(a.id)[0] == bench.index.search("Etäopetuksen kokeilu").hits[0].entry_id


def test_empty_query_lists_everything_newest_first(bench):
    bench.add("vanha", title="A", summary="S.", published=date(2020, 1, 1))
    bench.add("uusi", title="B", summary="S.", published=date(2024, 1, 1))
    assert bench.slugs("") == ["uusi", "vanha"]


def test_stop_words_are_kept_in_titles_and_weigh_little(bench):
    bench.add("miten", title="Miten kunta tukee omaishoitajia", summary="Vapaapäivät joustavasti.",
              body="Omaishoitajat saavat vapaata.")
    bench.add("tuki", title="Omaishoitajien tuki", summary="Miten tuki haetaan.", body="Miten ja milloin tukea saa.")
    assert bench.slugs("miten") == ["miten"]  # a title's stop word is searchable ("Miten ..."), a body's is not
    assert set(bench.slugs("miten omaishoitajien tuki")) == {"miten", "tuki"}
    assert bench.slugs("miten omaishoitajien tuki")[0] == "tuki"  # the topic words, not the question word



def test_a_question_ranks_the_topic_above_its_own_phrasing(bench):
    bench.add("strategia", title="Mitä kunta voi tehdä strategiallaan?", summary="Kunta voi ohjata toimintaansa.",
              body="Kunta voi kirjata tavoitteet, ja kunta voi seurata niitä. Voiko kunta tehdä tämän yksin?")
    bench.add("yksinaisyys", title="Soittorinki yksinäisyyden ehkäisyyn", summary="Ikääntyneet soittavat toisilleen.",
              body="Kotona asuvien ikäihmisten yksinäisyys väheni, kun he soittivat toisilleen aamuisin.")
    assert bench.slugs("miten kunta voi vähentää ikäihmisten yksinäisyyttä")[0] == "yksinaisyys"
    assert bench.slugs("kunta") == ["strategia"]  # a question word alone is searched as typed


@pytest.mark.parametrize("query", ["nuorisotakuu", "luottamussuhde", "työllistymisaste", "seurakunnat",
                                   "palvelusetelilaki", "ohjausryhmä"])
def test_a_word_only_in_the_structured_description_finds_the_entry(bench, query):
    bench.add("rakenne", title="T", summary="S.", body="Tarina.", details={
        "goals": "Nuorisotakuun toteutuminen.", "lessons": "Luottamussuhteen rakentaminen vie aikaa.",
        "results": [{"indicator": "Työllistymisaste", "value": 35, "unit": "%",
                     "source": "https://example.fi/seurantaraportti"}],
        "transferability": {"partners": "Seurakunnat", "legal_basis": "Palvelusetelilaki"},
        "evaluation": {"method": "Ohjausryhmän arvio"}, "practice_status": "ongoing"})
    bench.add("muu", title="T", summary="S.", body="Jotain muuta.")
    assert bench.slugs(query) == ["rakenne"]


def test_addresses_and_choices_of_the_structured_description_are_not_words(bench):
    bench.add("rakenne", title="T", summary="S.", body="Tarina.", details={
        "results": [{"indicator": "Osuus", "value": 1, "source": "https://example.fi/seurantaraportti"}],
        "practice_status": "permanent"})
    assert bench.slugs("seurantaraportti") == [] and bench.slugs("permanent") == []
