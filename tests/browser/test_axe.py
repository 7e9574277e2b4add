"""axe-core (WCAG 2.1 A and AA rules) on every page type in every UI language: no violations.

The test ids read "<page>-<language>", so the number of page×language checks shows in the
run. axe comes bundled with axe-playwright-python and runs offline.
"""

from __future__ import annotations

import pytest

from browsing import LANGUAGES, in_language
from page_types import PAGES

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture(scope="module")
def tab_as(browser, site, logged_in_state, axe):
    """tab_as(role or None) -> the module's one page of that role (anonymous for None), made on first use.

    Every check navigates, so a page (and its context) serves all the checks of its role: a new
    context per check cost more than the navigation itself. axe (570 kB) is an init script of the
    context, in every document from its start, instead of sent over the wire again for each check.
    """
    contexts, tabs = [], {}

    def tab(role):
        if role not in tabs:
            state = {"storage_state": logged_in_state(role)} if role else {}
            context = browser.new_context(base_url=site.url, viewport={"width": 1280, "height": 900}, **state)
            context.set_default_timeout(30_000)  # the machine may be busy
            context.add_init_script(script=axe.axe_script)
            contexts.append(context)
            tabs[role] = context.new_page()
        return tabs[role]

    yield tab
    for context in contexts:
        context.close()


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
def test_no_axe_violations(site, axe, tab_as, page_type, lang):
    from axe_playwright_python.base import AxeResults

    tab = open_page(site, page_type, lang, tab_as)
    results = AxeResults(tab.evaluate("options => axe.run(document, options)", AXE_OPTIONS))  # axe: tab_as
    assert results.violations_count == 0, f"{page_type.name} ({lang}):\n{results.generate_report()}"


def test_axe_finds_planted_violations(axe, page):
    """The harness is not vacuous: axe, injected under the site's CSP, reports problems put on a page."""
    page.goto("/")
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
    found = {v["id"] for v in axe.run(page, options=AXE_OPTIONS).response["violations"]}
    assert {"image-alt", "label", "color-contrast"} <= found, found
