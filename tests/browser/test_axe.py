"""axe-core (WCAG 2.1 A and AA rules) on every page type in every UI language: no violations.

The test ids read "<page>-<language>", so the number of page×language checks shows in the
run. axe comes bundled with axe-playwright-python and runs offline.

Every rule runs in every language but one: color-contrast runs in Finnish only. It was four
fifths of axe's time (12.6 of 16.0 s over the page types in one language, ~0.25 s a page) and
asks nothing a language can change: a language changes the page's text and its lang attributes
(templates/base.html, the sections marked lang="{{ current_locale() }}"), while the colours of
text and of what is behind it come from the one stylesheet (site.css has no :lang() selector).
A longer text wraps otherwise, but inside its own box, on that box's background; the one way
left to a new contrast, text spilling out of its box onto another background, is not checked
in sv and en. What a translation can break is text: an empty or missing name (label,
button-name, link-name, image-alt, document-title...), a wrong or invalid lang (html-has-lang,
html-lang-valid, valid-lang; open_page also checks html's lang is the language asked for), and
these rules still run on every page in sv and en.
test_the_other_languages_rules_catch_what_a_translation_breaks shows that sv's rule set is the
full set without color-contrast, and catches an empty translated label, an empty button name
and an invalid lang planted on a Swedish page.
"""

from __future__ import annotations

import pytest

from browsing import LANGUAGES, in_language
from page_types import PAGES, by_name

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
CONTRAST_LANGUAGE = "fi"  # color-contrast runs in this language only (the module docstring says why)
TEXT_OPTIONS = {**AXE_OPTIONS, "rules": {"color-contrast": {"enabled": False}}}


def options_for(lang: str) -> dict:
    """axe's options in LANG: the full WCAG rule set in CONTRAST_LANGUAGE, the rest without color-contrast."""
    return AXE_OPTIONS if lang == CONTRAST_LANGUAGE else TEXT_OPTIONS


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture(scope="module")
def init_scripts(axe):
    """axe (570 kB) in every document of tab_as's pages from its start, instead of sent over the wire
    again for each check."""
    return [axe.axe_script]


# axe is in every document (init_scripts). Only the violations come back: the whole results (~36 kB
# a page, every rule's passes and the rest) cost Chromium and Playwright ~0.05 CPU-s a check to pass on.
RUN = "options => axe.run(document, options).then(results => ({violations: results.violations}))"
RULES_RUN = """options => axe.run(document, options).then(results =>
    [...results.violations, ...results.passes, ...results.incomplete, ...results.inapplicable].map(rule => rule.id))"""


def open_page(site, page_type, lang, tab_as):
    """Open PAGE_TYPE in LANG as its role; return the Playwright page, in the state to check."""
    tab = tab_as(page_type.role)
    response = tab.goto(in_language(page_type.path(site.world), lang))
    assert response is not None and response.status < 500, f"{page_type.name}: HTTP {response and response.status}"
    if page_type.then:
        page_type.then(tab)
    assert tab.locator("html").get_attribute("lang") == lang
    return tab


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page_type", PAGES, ids=[p.name for p in PAGES])
def test_no_axe_violations(site, tab_as, page_type, lang):
    from axe_playwright_python.base import AxeResults

    tab = open_page(site, page_type, lang, tab_as)
    results = AxeResults(tab.evaluate(RUN, options_for(lang)))
    assert results.violations_count == 0, f"{page_type.name} ({lang}):\n{results.generate_report()}"


def test_axe_finds_planted_violations(site, tab_as):
    """The harness is not vacuous: axe, in the documents of the site under its CSP, reports problems put on
    a page, color-contrast among them in CONTRAST_LANGUAGE."""
    page = open_page(site, by_name("front"), CONTRAST_LANGUAGE, tab_as)
    page.evaluate("""() => {
        const main = document.querySelector('main .wrap');
        const img = document.createElement('img');
        img.src = '/static/favicon.svg';
        const input = document.createElement('input');
        const faint = document.createElement('p');
        faint.textContent = 'Hardly visible';
        faint.style.color = '#cccccc';
        main.append(img, input, faint);
    }""")
    found = {v["id"] for v in page.evaluate(RUN, options_for(CONTRAST_LANGUAGE))["violations"]}
    assert {"image-alt", "label", "color-contrast"} <= found, found


def test_the_other_languages_rules_catch_what_a_translation_breaks(site, tab_as):
    """sv's rule set is the full one less color-contrast, and catches an empty translated label and
    button name and an invalid lang on a Swedish page."""
    tab = open_page(site, by_name("login"), "sv", tab_as)
    assert set(tab.evaluate(RULES_RUN, AXE_OPTIONS)) - set(tab.evaluate(RULES_RUN, options_for("sv"))) \
        == {"color-contrast"}
    tab.evaluate("""() => {
        document.querySelector('label[for=email]').textContent = '';
        document.querySelector('main form button[type=submit]').textContent = '';
        document.documentElement.lang = 'svenska';
    }""")
    found = {v["id"] for v in tab.evaluate(RUN, options_for("sv"))["violations"]}
    assert {"label", "button-name", "html-lang-valid"} <= found, found
