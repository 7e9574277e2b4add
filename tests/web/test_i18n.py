"""Finnish by default; Swedish and English complete; the switcher keeps the module_client on the page."""

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from ideapankki.config import TRANSLATIONS_DIR
from ideapankki.reference import THEME_SLUGS
from ideapankki.web.labels import THEME_LABELS


def load(path: Path, module_client=read_po):
    with path.open("rb") as fh:
        return module_client(fh)


def as_key(value):
    return tuple(value) if isinstance(value, list) else value


def key(message):
    """A message's identity: its context (read_mo gives it as bytes) and its id."""
    context = message.context.decode() if isinstance(message.context, bytes) else message.context
    return context, as_key(message.id)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_catalogue_translates_every_string(language):
    template = load(TRANSLATIONS_DIR / "messages.pot")
    catalogue = load(TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.po")
    missing = []
    for message in template:
        if not message.id:
            continue
        translated = catalogue.get(message.id, message.context)
        strings = translated.string if translated else None
        if not strings or (isinstance(strings, tuple) and not all(strings)) or (translated and translated.fuzzy):
            missing.append(message.id)
    assert missing == []


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_compiled_catalogue_matches_its_source(language):
    folder = TRANSLATIONS_DIR / language / "LC_MESSAGES"
    source = {key(m): as_key(m.string) for m in load(folder / "messages.po") if m.id}
    compiled = {key(m): as_key(m.string) for m in load(folder / "messages.mo", read_mo) if m.id}
    assert compiled == source, "run: pybabel compile -d ideapankki/translations"


def test_template_catalogue_is_current(tmp_path):
    from babel.messages.frontend import CommandLineInterface

    project = Path(__file__).resolve().parents[2]
    out = tmp_path / "messages.pot"
    CommandLineInterface().run(["pybabel", "extract", "-F", str(project / "babel.cfg"), "-k", "lazy_gettext",
                                "-k", "_l", "-o", str(out), "--no-location", "--sort-output", str(project)])
    fresh = {key(m) for m in load(out) if m.id}
    committed = {key(m) for m in load(TRANSLATIONS_DIR / "messages.pot") if m.id}
    assert fresh == committed, "run the extract/update commands in README.md"


def test_every_theme_has_a_label():
    assert set(THEME_LABELS) == set(THEME_SLUGS)


def test_default_language_is_finnish(module_client):
    page = module_client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="fi">' in page.text and "Uusimmat merkinnät" in page.text


@pytest.mark.parametrize("language, heading", [("sv", "Senaste poster"), ("en", "Latest entries")])
def test_switcher_remembers_the_language_and_returns_to_the_page(module_client, language, heading):
    response = module_client.get(f"/language/{language}?next=/entries?type=idea")
    assert response.status_code == 302
    assert response.headers["Location"] == "/entries?type=idea"
    page = module_client.get("/")
    assert f'<html lang="{language}">' in page.text and heading in page.text


def test_lang_parameter_gives_a_page_in_that_language_without_remembering(module_client):
    assert '<html lang="sv">' in module_client.get("/?lang=sv").text
    assert '<html lang="fi">' in module_client.get("/").text


def test_swedish_reader_sees_swedish_municipality_names(client, entry_factory):
    entry_factory("porvoo", municipalities=["Porvoo"])
    html = client.get("/entries/porvoo?lang=sv").text
    assert "Borgå" in html


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_switcher_refuses_open_redirects(module_client, target):
    response = module_client.get("/language/sv", query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_unknown_language_is_404(module_client):
    assert module_client.get("/language/de").status_code == 404


def test_pages_offer_hreflang_alternates(module_client):
    html = module_client.get("/entries?type=idea").text
    for code in ("fi", "sv", "en"):
        assert f'hreflang="{code}" href="http://localhost/entries?type=idea&amp;lang={code}"' in html


@pytest.mark.parametrize("language, text", [("fi", "25.5.2022"), ("sv", "25.5.2022"), ("en", "25 May 2022")])
def test_dates_follow_each_languages_convention(client, entry_factory, language, text):
    entry_factory("paivays")
    assert text in client.get(f"/entries/paivays?lang={language}").text
