"""The Content-Security-Policy holds in a real browser: the site's pages break none of it.

Violations are caught two ways: Chromium's console messages and the page's own
securitypolicyviolation events (listened for by an init script, which CSP does not govern).
A planted inline script proves the listener hears a violation when there is one. The pages are
opened in the module's one page per role (conftest's tab_as), the listener in each of its documents.
"""

from __future__ import annotations

from typing import Callable

import pytest

from browsing import in_language
from page_types import MAIN_PAGES, by_name

pytestmark = pytest.mark.browser

LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation',
    e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture(scope="module")
def init_scripts():
    return [LISTEN]


def _console(page) -> tuple[list[str], Callable]:
    """The CSP messages PAGE's console will print, and the listener that collects them."""
    console = []

    def hear(message):
        if "Content Security Policy" in message.text:
            console.append(message.text)

    page.on("console", hear)
    return console, hear


@pytest.mark.parametrize("name", MAIN_PAGES)
def test_no_csp_violation(site, tab_as, name):
    page_type = by_name(name)
    tab = tab_as(page_type.role)
    console, hear = _console(tab)
    try:
        tab.goto(in_language(page_type.path(site.world), "fi"))
        if page_type.then:
            page_type.then(tab)
        tab.wait_for_load_state("load")
        assert tab.evaluate("window.__cspViolations") == [] and console == []
    finally:
        tab.remove_listener("console", hear)


def test_a_planted_inline_script_is_blocked_and_reported(tab_as):
    page = tab_as(None)
    console, hear = _console(page)
    page.goto("/")
    page.evaluate("""() => {
        const s = document.createElement('script');
        s.textContent = 'window.__ran = true';
        document.body.appendChild(s);
    }""")
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__ran") is None
    assert any("script-src" in v for v in page.evaluate("window.__cspViolations"))
    assert console, "Chromium did not report the violation in the console"
    page.remove_listener("console", hear)
