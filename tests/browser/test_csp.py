"""The Content-Security-Policy holds in a real browser: the site's pages break none of it.

Violations are caught two ways: Chromium's console messages and the page's own
securitypolicyviolation events (listened for by an init script, which CSP does not govern).
A planted inline script proves the listener hears a violation when there is one.
"""

from __future__ import annotations

import pytest

from browsing import in_language
from page_types import MAIN_PAGES, by_name

pytestmark = pytest.mark.browser

LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation',
    e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def _watch(page) -> list[str]:
    console = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script(LISTEN)
    return console


@pytest.mark.parametrize("name", MAIN_PAGES)
def test_no_csp_violation(site, page, page_as, name):
    page_type = by_name(name)
    tab = page_as(page_type.role) if page_type.role else page
    console = _watch(tab)
    tab.goto(in_language(page_type.path(site.world), "fi"))
    if page_type.then:
        page_type.then(tab)
    tab.wait_for_load_state("load")
    assert tab.evaluate("window.__cspViolations") == [] and console == []


def test_a_planted_inline_script_is_blocked_and_reported(page):
    console = _watch(page)
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
