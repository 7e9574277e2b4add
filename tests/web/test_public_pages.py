"""Every public page type through the test client; only published entries are ever visible."""

import re

import pytest

from ideapankki.models import EntryState

UNPUBLISHED = [EntryState.draft, EntryState.submitted, EntryState.in_review, EntryState.returned,
               EntryState.rejected, EntryState.archived]


def test_front_page_explains_the_bank_and_lists_latest(client, entry_factory):
    entry_factory("kainuun-kokeilu", title="Kainuun työllisyyskokeilu", type="practice", themes=["tyollisyys"],
                  municipalities=["Kajaani"])
    entry_factory("sotku", title="SOTKU", type="idea")
    page = client.get("/")
    assert page.status_code == 200
    html = page.text
    assert '<html lang="fi">' in html
    assert "Ideapankki on suomalaisen kuntakokeilutoiminnan ideapankki" in html
    assert "Kainuun työllisyyskokeilu" in html and "SOTKU" in html
    assert re.search(r'<span class="count-number">1</span> <span class="count-label">Ideat</span>', html)
    assert 'href="/themes/tyollisyys"' in html
    assert "Kainuu" in html  # the region of Kajaani, as an entry point


def test_entry_page_shows_every_field(client, entry_factory):
    entry_factory(
        "kainuu", type="practice", title="Kainuun kokeilu", summary="Seitsemän kuntaa.",
        body="## Tausta\n\nKokeilu **alkoi**.", municipalities=["Kajaani", "Sotkamo"], themes=["tyollisyys"],
        tags=["omavalmentaja"], period_start=__import__("datetime").date(2021, 3, 1),
        period_end=__import__("datetime").date(2023, 6, 30), trial_status="ended",
        laws=[{"title": "Laki työllisyyden edistämisen kuntakokeilusta", "number": "1269/2020", "section": "2 §"}],
        contacts=[{"name": "Maija Meikäläinen", "role": "projektipäällikkö", "email": "maija@kajaani.fi"}],
        links=[{"title": "Kajaani", "url": "https://www.kajaani.fi/"}],
    )
    html = client.get("/entries/kainuu").text
    assert "<h1>Kainuun kokeilu</h1>" in html
    assert '<h2 id="md-tausta">Tausta</h2>' in html and "<strong>alkoi</strong>" in html
    assert 'href="/municipalities/205"' in html and "Sotkamo" in html
    assert 'href="/themes/tyollisyys"' in html and "Työllisyys" in html
    assert "omavalmentaja" in html
    assert "1.3.2021" in html and "30.6.2023" in html and "Päättynyt" in html
    assert "https://www.finlex.fi/fi/lainsaadanto/2020/1269" in html and "2 §" in html
    assert "Maija Meikäläinen" in html and "mailto:maija@kajaani.fi" in html
    assert 'href="https://www.kajaani.fi/"' in html
    assert "25.5.2022" in html
    assert 'rel="canonical" href="http://localhost/entries/kainuu"' in html


@pytest.mark.parametrize("state", UNPUBLISHED)
def test_unpublished_entries_are_invisible_everywhere(client, entry_factory, state):
    entry_factory("salainen", state=state, title="Salainen luonnos", municipalities=["Kajaani"], themes=["asuminen"])
    assert client.get("/entries/salainen").status_code == 404
    for url in ("/", "/entries", "/entries?type=practice", "/municipalities/205", "/themes/asuminen",
                "/entries?region=FI1D8"):
        page = client.get(url)
        assert page.status_code == 200
        assert "Salainen luonnos" not in page.text, url


def test_browse_filters_combine_and_show_counts(client, entry_factory):
    entry_factory("a", type="practice", themes=["tyollisyys"], municipalities=["Kajaani"], trial_status="ended")
    entry_factory("b", type="practice", themes=["koulutus"], municipalities=["Porvoo"], trial_status="ongoing")
    entry_factory("c", type="idea", themes=["tyollisyys"], municipalities=["Kajaani"])
    html = client.get("/entries?theme=tyollisyys").text
    assert "2 merkintää" in html
    assert "Otsikko a" in html and "Otsikko c" in html and "Otsikko b" not in html
    # the type facet counts within the theme filter
    assert re.search(r"Kokeilu <span class=\"count\">\(1\)</span>", html)
    assert re.search(r"Idea <span class=\"count\">\(1\)</span>", html)
    html = client.get("/entries?theme=tyollisyys&type=practice").text
    assert "1 merkintä" in html and "Otsikko a" in html and "Otsikko c" not in html
    html = client.get("/entries?region=FI1B1").text  # Helsinki-Uusimaa (Porvoo)
    assert "Otsikko b" in html and "Otsikko a" not in html
    html = client.get("/entries?trial_status=ongoing").text
    assert "Otsikko b" in html and "Otsikko a" not in html
    html = client.get("/entries?year=2022&municipality=205").text
    assert "2 merkintää" in html
    assert "Poista kaikki rajaukset" in html


def test_browse_paginates(client, entry_factory):
    for i in range(12):
        entry_factory(f"e{i:02d}", title=f"Merkintä {i:02d}")
    first = client.get("/entries").text
    assert "12 merkintää" in first and 'rel="next"' in first and first.count('class="card"') == 5
    third = client.get("/entries?page=3").text
    assert third.count('class="card"') == 2 and 'rel="prev"' in third
    assert client.get("/entries?page=4").status_code == 404
    assert client.get("/entries?page=0").status_code == 400
    assert client.get("/entries?page=x").status_code == 400


@pytest.mark.parametrize("query", ["type=recipe", "theme=astrologia", "municipality=999", "region=XX",
                                   "year=abc", "trial_status=maybe"])
def test_unknown_filter_values_get_a_clear_400(module_client, query):
    page = module_client.get(f"/entries?{query}")
    assert page.status_code == 400
    assert "Virheellinen pyyntö" in page.text and "jota ei ole olemassa" in page.text


def test_municipality_page_shows_region_language_and_entries(client, entry_factory):
    entry_factory("porvoo", title="Porvoon kokeilu", municipalities=["Porvoo"])
    html = client.get("/municipalities/638").text
    assert "<h1>Porvoo" in html and "Borgå" in html
    assert "Kaksikielinen" in html and "Helsinki-Uusimaa" in html
    assert "Porvoon kokeilu" in html
    assert client.get("/municipalities/999").status_code == 404


def test_theme_page_lists_its_entries(client, entry_factory):
    entry_factory("k", title="Koulukokeilu", themes=["koulutus"])
    entry_factory("t", title="Työkokeilu", themes=["tyollisyys"])
    html = client.get("/themes/koulutus").text
    assert "<h1>Koulutus ja varhaiskasvatus</h1>" in html
    assert "Koulukokeilu" in html and "Työkokeilu" not in html
    assert client.get("/themes/astrologia").status_code == 404


def test_error_pages_use_the_site_layout(module_client):
    page = module_client.get("/no/such/page")
    assert page.status_code == 404
    assert "Sivua ei löytynyt" in page.text and 'class="site-header"' in page.text
    assert module_client.post("/entries").status_code == 405


def test_server_error_page_uses_the_layout(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    page = client.get("/boom")
    assert page.status_code == 500
    assert "Jokin meni vikaan" in page.text and "RuntimeError" not in page.text


def test_body_html_is_rendered_at_save_not_per_request(client, entry_factory, app_session):
    entry = entry_factory("tallennus", body="Alkuperäinen **teksti**.")
    assert entry.body_html == "<p>Alkuperäinen <strong>teksti</strong>.</p>"
    entry.body_md = "Muutettu ilman renderöintiä."
    app_session.commit()
    assert "Alkuperäinen <strong>teksti</strong>" in client.get("/entries/tallennus").text


def test_municipality_page_offers_entries_of_municipalities_like_it(client, entry_factory):
    entry_factory("sotkamo", title="Sotkamon kokeilu", municipalities=["Sotkamo"])  # Kainuu, Finnish-speaking
    entry_factory("oma", title="Kajaanin oma", municipalities=["Kajaani"])
    entry_factory("vaasa", title="Vaasan kokeilu", municipalities=["Vaasa"])  # another region, bilingual
    entry_factory("luonnos", title="Kuhmon luonnos", municipalities=["Kuhmo"], state=EntryState.draft)
    page = client.get("/municipalities/205").text  # Kajaani
    section = page[page.index('id="like-mine-title"'):]
    assert "Sotkamon kokeilu" in section
    assert "Kajaanin oma" not in section and "Vaasan kokeilu" not in section and "Kuhmon luonnos" not in section
