"""Search in the site, the API and the CLI: the same results, clear errors, published data only."""

import json

import pytest
from click.testing import CliRunner

from sqlmodel import select

from ideapankki.cli import main
from ideapankki.models import Entry
from ideapankki.web.index import SEARCH_KEY

from factories import make_entry


def arrange(app, session):
    """Three published entries, two about basic education, and the index caught up."""
    def entry_factory(slug, **fields):
        return make_entry(session, slug, **fields)

    entry_factory("perus", type="norm", title="Joustavat ryhmäkoot perusopetuksessa", summary="Pienet kunnat.",
                  body="Perusopetuksen ryhmäkoot joustaviksi pienissä kunnissa.", themes=["koulutus"],
                  municipalities=["Kuhmo"])
    entry_factory("eta", type="norm", title="Etäopetus perusopetuksessa", summary="Etänä.",
                  body="Perusopetusta voisi antaa etäopetuksena.", themes=["koulutus", "digitalisaatio"])
    entry_factory("tyo", type="practice", title="Omavalmentaja", summary="Työnhakijan tuki.",
                  body="Omavalmentaja kulkee työnhakijan rinnalla.", themes=["tyollisyys"])
    app.extensions[SEARCH_KEY].catch_up()


@pytest.fixture(scope="module")
def shared(module_app, module_session):
    """The entries the reading tests share, arranged once per module (and database kind)."""
    arrange(module_app, module_session)
    return module_app



def test_search_page_shows_highlighted_results_and_facets(reader):
    html = reader.get("/search?q=perusopetus").text
    assert "2 tulosta haulla ”perusopetus”" in html
    assert '<mark class="match term0">Perusopetuksen</mark>' in html or "<mark" in html
    assert 'href="/entries/perus"' in html and 'href="/entries/eta"' in html
    assert "Omavalmentaja" not in html.split('class="results"')[1].split("</section>")[0]
    assert "Koulutus ja varhaiskasvatus <span class=\"count\">(2)</span>" in html


def test_every_page_has_a_labelled_search_box(reader):
    html = reader.get("/entries").text
    assert '<form class="header-search" role="search" action="/search" method="get">' in html
    assert '<label for="header-q" class="visually-hidden">Hae ideapankista</label>' in html


@pytest.mark.parametrize("lang, heading, button", [("fi", "Haku", "Hae"), ("sv", "Sökning", "Sök"),
                                                   ("en", "Search", "Search")])
def test_search_page_heading_is_a_noun_and_its_button_a_verb(reader, lang, heading, button):
    html = reader.get(f"/search?lang={lang}").text
    assert f"<title>{heading} – " in html and f"<h1>{heading}</h1>" in html
    assert f'<button type="submit">{button}</button>' in html


def test_search_page_filters_and_sorts(reader):
    html = reader.get("/search?q=perusopetus&theme=digitalisaatio").text
    assert "1 tulos haulla" in html and 'href="/entries/eta"' in html
    assert reader.get("/search?q=perusopetus&sort=newest").status_code == 200


def test_search_page_suggests_and_corrects_typos(reader):
    html = reader.get("/search?q=omavalmentja").text
    assert "Haulla ”omavalmentja” ei löytynyt mitään" in html
    assert 'href="/search?q=omavalmentaja"' in html and 'href="/entries/tyo"' in html


def test_search_page_without_results_helps(reader):
    html = reader.get("/search?q=xyzzyplugh").text
    assert "Hakusi ei tuottanut tuloksia." in html


@pytest.mark.parametrize("query", ["sort=best", "page=0", "page=x", "per_page=1000", "type=recipe", "q=" + "a" * 501])
def test_bad_search_parameters_are_400_on_page_and_api(reader, query):
    assert reader.get(f"/search?{query}").status_code == 400
    response = reader.get(f"/api/v1/search?{query}")
    assert response.status_code == 400
    assert response.is_json and response.json["error"]


def test_api_returns_the_documented_shape(reader):
    response = reader.get("/api/v1/search?q=perusopetuksen&type=norm")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    data = response.json
    assert data["total"] == 2 and data["suggestion"] is None
    first = data["results"][0]
    assert set(first) >= {"slug", "type", "title", "summary", "url", "highlight", "score"}
    assert first["url"].startswith("http://localhost/entries/")
    assert {f["value"]: f["count"] for f in data["facets"]["theme"]} == {"koulutus": 2, "digitalisaatio": 1}


def test_api_page_and_cli_agree(reader, shared, monkeypatch):
    app = shared
    api = [r["slug"] for r in reader.get("/api/v1/search?q=perusopetus").json["results"]]
    html = reader.get("/search?q=perusopetus").text
    page = [slug for slug in api if f'href="/entries/{slug}"' in html]
    positions = [html.index(f'href="/entries/{slug}"') for slug in api]
    assert page == api and positions == sorted(positions)
    monkeypatch.setenv("IDEAPANKKI_INSTANCE", str(app.config["INSTANCE_DIR"]))
    monkeypatch.setenv("IDEAPANKKI_DATABASE_URL", app.config["DATABASE_URL"])
    result = CliRunner().invoke(main, ["search", "perusopetus", "--json"])
    assert result.exit_code == 0, result.output
    assert [r["slug"] for r in json.loads(result.output)["results"]] == api
    readable = CliRunner().invoke(main, ["search", "perusopetus", "--type", "practice"])
    assert "0 result(s)" in readable.output


def test_similar_endpoint_for_the_submission_form(app, client, app_session, entry_factory):
    from ideapankki.models import EntryState

    arrange(app, app_session)  # its own, as it adds an entry
    entry_factory("luonnos", state=EntryState.draft, title="Etäopetus perusopetuksessa luonnos")
    data = client.get("/api/v1/similar?title=Etäopetusta perusopetukseen").json
    assert data["results"][0]["slug"] == "eta"
    assert "luonnos" not in [r["slug"] for r in data["results"]]
    assert client.get("/api/v1/similar").status_code == 400


def test_entry_page_shows_similar_entries(reader):
    html = reader.get("/entries/perus").text
    assert "Samankaltaisia merkintöjä" in html and 'href="/entries/eta"' in html


def test_an_entry_page_shows_its_similar_entries_as_the_database_has_them_now(app, client, app_session,
                                                                               entry_factory, monkeypatch):
    """An anonymous reader's page shows the rows the index keeps beside the similar list (no read of the
    neighbours' rows) once the index has applied the site's version: a neighbour's new title is there at
    the next view, an unpublished neighbour is gone."""
    from ideapankki.models import EntryState
    from ideapankki.search import results
    from ideapankki.workflow import place_by_operator

    arrange(app, app_session)
    entry_factory("eta2", type="idea", title="Etäopetus perusopetuksen pienryhmissä", summary="Etänä.",
                  body="Perusopetusta voisi antaa etäopetuksena pienryhmissä.")
    app.extensions[SEARCH_KEY].catch_up()

    def similar(html):
        return html[html.index('id="similar-title"'):]

    def refuse(*args, **kwargs):
        raise AssertionError("the neighbours' rows were read from the database")

    page = similar(client.get("/entries/eta").text)
    assert 'href="/entries/eta2" lang="fi">Etäopetus perusopetuksen pienryhmissä</a> <span class="count">(Idea)' in page
    edited = app_session.exec(select(Entry).where(Entry.slug == "eta2")).one()
    edited.title = "Etäopetus saariston kouluissa & muualla"
    app_session.commit()
    with monkeypatch.context() as patch:
        patch.setattr(results.NEIGHBOURS, "rows", refuse)
        page = similar(client.get("/entries/eta").text)  # the ETag check catches the index up first
    assert "pienryhmissä" not in page
    assert 'href="/entries/eta2" lang="fi">Etäopetus saariston kouluissa &amp; muualla</a>' in page
    place_by_operator(app_session, edited, EntryState.archived, "test")
    app_session.commit()
    assert 'href="/entries/eta2"' not in client.get("/entries/eta").text


def test_api_unknown_path_is_json_404(reader):
    response = reader.get("/api/v1/nothing")
    assert response.status_code == 404 and response.is_json


@pytest.mark.parametrize("state", ["draft", "submitted", "in_review", "returned", "rejected", "archived"])
def test_unpublished_entries_leak_nowhere_in_the_api_or_search(client, app, entry_factory, state):
    from ideapankki.models import EntryState

    entry_factory("julkinen", title="Omavalmentaja julkinen", summary="Julkaistu.")
    entry_factory("piilo", state=EntryState(state), title="Omavalmentaja piilossa", summary="Salainen piilosana.")
    app.extensions[SEARCH_KEY].catch_up()
    for url in ("/api/v1/search?q=omavalmentaja", "/api/v1/search?q=piilosana", "/api/v1/search?q=piilosna",
                "/api/v1/search", "/api/v1/similar?title=Omavalmentaja+piilossa"):
        data = client.get(url).json
        assert "piilo" not in [r["slug"] for r in data["results"]], url
        assert "Salainen" not in str(data["results"]) and data.get("suggestion") != "piilosana", url
    for url in ("/search?q=piilosana", "/search?q=omavalmentaja", "/entries/julkinen", "/entries", "/"):
        html = client.get(url).text
        assert 'href="/entries/piilo"' not in html and "Salainen" not in html, url


def test_a_respelled_search_offers_the_words_as_typed(reader):
    html = reader.get("/search?q=etaopetus").text
    assert "Etäopetus" in html and "Hae sen sijaan" in html and "respell=0" in html  # the dotless word
    literal = reader.get("/search?q=etaopetus&respell=0")
    assert literal.status_code == 200 and "Search instead" not in literal.text and "Hae sen sijaan" not in literal.text
    assert reader.get("/search?q=etaopetus&respell=maybe").status_code == 400


def test_nothing_found_is_never_an_empty_page(reader):
    near = reader.get("/search?q=omavalmxyz").text  # no word, no safe correction: the nearest entries
    assert 'class="nearest"' in near and "Omavalmentaja" in near and "Hakusanoja lähimmät merkinnät" in near
    newest = reader.get("/search?q=zzqqxxvv").text  # nothing even begins alike: the newest entries
    assert 'class="nearest"' in newest and "Uusimmat merkinnät" in newest
    theme = reader.get("/search?q=koulutuksellisuuxx").text  # a theme's name in the words
    assert "/themes/koulutus" in theme and "Teemat, joissa on nämä sanat" in theme


def test_an_anonymous_search_reads_the_sites_version_once(reader, shared, monkeypatch):
    """The ETag check reads the version (on the request's pooled connection); the search, its catch-up and the listing
    table take that one (changes.keep_version) instead of reading it again in the session."""
    from sqlalchemy import event

    from ideapankki.web.database import ENGINE_KEY
    from ideapankki.web.serving import http_cache

    engine_reads, session_reads = [], []
    monkeypatch.setattr(http_cache, "_site_version",
                        lambda app, real=http_cache._site_version: engine_reads.append(1) or real(app))

    def statement(_conn, _cursor, sql, *_args):
        if "entry_change" in sql and "programme" in sql:  # changes.VERSION_QUERY
            session_reads.append(sql)

    engine = shared.extensions[ENGINE_KEY]
    event.listen(engine, "before_cursor_execute", statement)
    try:
        for url in ("/search?q=perusopetus", "/api/v1/search?q=perusopetus"):
            engine_reads.clear()
            session_reads.clear()
            assert reader.get(url).status_code == 200
            assert (len(engine_reads), session_reads) == (1, []), url
    finally:
        event.remove(engine, "before_cursor_execute", statement)
