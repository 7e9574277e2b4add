"""Keyboard-only use: the skip link, a visible focus indicator, searching, and errors tied to fields.

Only key presses move the focus here (no clicks), as a reader without a mouse would. Each test
opens its page in the module's one page of its role (conftest's tab_as): a navigation starts the
focus afresh at the top of the new document, as in a new tab.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

MAX_TABS = 120


def focused(page, js: str):
    """Evaluate JS (a function of the focused element) on document.activeElement."""
    return page.evaluate(f"() => ({js})(document.activeElement)")


def tab_until(page, predicate_js: str, *, backwards: bool = False) -> int:
    """Press Tab until the focused element satisfies PREDICATE_JS; return how many presses it took."""
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if focused(page, predicate_js):
            return presses
    raise AssertionError(f"Tab never reached an element matching {predicate_js}")


def test_skip_link_is_first_and_moves_focus_to_main(tab_as):
    page = tab_as(None)
    page.goto("/")
    page.keyboard.press("Tab")
    assert focused(page, "el => el.classList.contains('skip-link')")
    box = page.locator(".skip-link").bounding_box()
    assert box and box["y"] >= 0 and box["height"] > 0, "the focused skip link is not on screen"
    page.keyboard.press("Enter")
    assert focused(page, "el => el.id") == "main"
    # The next Tab continues inside main, not back in the header.
    page.keyboard.press("Tab")
    assert focused(page, "el => !!el.closest('main')")


def _focus_ring(page) -> dict:
    return focused(page, """el => {
        const s = getComputedStyle(el);
        return {tag: el.tagName, style: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow};
    }""")


@pytest.mark.parametrize("kind, selector", [
    ("link", "el => el.tagName === 'A' && !!el.closest('main')"),
    ("button", "el => el.tagName === 'BUTTON'"),
    ("input", "el => el.tagName === 'INPUT' && el.type === 'search'"),
    ("select", "el => el.tagName === 'SELECT'"),
])
def test_keyboard_focus_is_visible(tab_as, kind, selector):
    page = tab_as(None)
    page.goto("/search?q=kokeilu")
    tab_until(page, selector)
    ring = _focus_ring(page)
    assert ring["style"] != "none" and ring["width"] >= 2, f"{kind} has no visible focus outline: {ring}"


def test_search_with_the_keyboard_and_open_a_result(tab_as):
    page = tab_as(None)
    page.goto("/")
    tab_until(page, "el => el.id === 'header-q'")
    page.keyboard.type("työllisyys")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    assert page.locator(".search-results li").count() > 0
    tab_until(page, "el => el.matches('.search-results a')")
    href = focused(page, "el => el.getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(href) + "$"))
    assert page.locator("main h1").count() == 1


def _send_for_review(page) -> None:
    tab_until(page, "el => el.tagName === 'BUTTON' && el.value === 'submit'")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _assert_errors_tied_to_fields(page) -> set[str]:
    """Every field the error summary names is aria-invalid and described by its error; return their names."""
    summary = page.locator("#error-summary")
    assert summary.count() == 1 and summary.get_attribute("role") == "alert"
    named = set()
    for link in summary.locator("a").all():
        target = page.locator(link.get_attribute("href"))
        assert target.count() == 1, f"the summary links to {link.get_attribute('href')}, which is not there"
        name = target.get_attribute("name")
        named.add(name)
        for field in page.locator(f"main [name='{name}']").all():
            assert field.get_attribute("aria-invalid") == "true", f"{name} is not marked invalid"
            error_id = next(i for i in field.get_attribute("aria-describedby").split() if i.endswith("-error"))
            message = page.locator(f"#{error_id}").inner_text().strip()
            assert message, f"{name}: the error is empty"
            # Chromium's accessibility tree announces the error with the field.
            expect(field).to_have_accessible_description(re.compile(re.escape(message)))
    return named


def test_form_errors_are_tied_to_their_fields(tab_as):
    page = tab_as("member")
    page.goto("/new/norm?lang=en")
    _send_for_review(page)
    assert _assert_errors_tied_to_fields(page) >= {"title", "summary"}
    # Follow the summary's first link: it puts the focus in the field to correct.
    tab_until(page, "el => !!el.closest('#error-summary') && el.tagName === 'A'")
    page.keyboard.press("Enter")
    assert focused(page, "el => el.id") == "title"
    page.keyboard.type("Kokeilulaki kuntien yhteishankinnoille")
    tab_until(page, "el => el.id === 'summary'")
    page.keyboard.type("Kunnat saisivat kokeilla yhteishankintoja ilman kilpailutusta.")
    _send_for_review(page)
    # A norm proposal's own required fields, radio groups among them.
    named = _assert_errors_tied_to_fields(page)
    assert {"action", "proposer_role"} <= named, named
