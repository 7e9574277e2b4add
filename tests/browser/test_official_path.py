"""The official's path to submitting, on a desktop and on a 360 px phone: "submit" from the front
page, a draft saved with only a title, and the error summary (focused, in Finnish) when it is sent."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from browsing import keep_screenshot

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}


@pytest.mark.parametrize("device", WIDTHS)
def test_an_official_finds_submit_saves_a_title_only_draft_and_sees_what_is_missing(
        new_context, logged_in_state, device):
    page = new_context(viewport=WIDTHS[device], storage_state=logged_in_state("member")).new_page()
    page.goto("/?lang=fi")
    header_link = page.locator("header").get_by_role("link", name="Ilmoita kokeilu tai idea")
    expect(header_link).to_be_visible()
    assert header_link.bounding_box()["y"] < WIDTHS[device]["height"], "the header link is below the fold"
    expect(page.locator("main").get_by_role("link", name="Ilmoita kokeilu tai idea")).to_be_visible()
    keep_screenshot(page, f"onboard-front-{device}")
    with page.expect_navigation():
        header_link.click()
    keep_screenshot(page, f"onboard-submit-start-{device}", full_page=True)
    with page.expect_navigation():
        page.get_by_role("link", name="Kokeilu", exact=True).click()
    page.get_by_label("Otsikko").fill(f"Ikäihmisten kyytipalvelu kokeiluna ({device})")
    with page.expect_navigation():
        page.get_by_role("button", name="Tallenna luonnoksena").click()
    assert re.search(r"/entries/[a-z0-9-]+/edit$", page.url)
    expect(page.locator(".flash")).to_contain_text("Tallennettu")
    with page.expect_navigation():
        page.get_by_role("button", name="Lähetä tarkastettavaksi").click()
    keep_screenshot(page, f"onboard-error-summary-{device}")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text([re.compile("^Tiivistelmä: Täytä tämä ennen")])
    summary.get_by_role("link").click()
    expect(page.locator("#summary")).to_be_focused()
    keep_screenshot(page, f"onboard-submit-errors-{device}")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[device]["width"], page.evaluate(
        "[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)"
        ".slice(-4).map(e => e.tagName + '.' + e.className + '#' + e.id)")


@pytest.mark.parametrize(("javascript", "device"), [(False, "desktop"), (False, "phone"), (True, "desktop")],
                         ids=["without-js", "without-js-phone", "with-js"])
def test_an_official_links_an_entry_with_the_picker(new_context, logged_in_state, javascript, device):
    page = new_context(java_script_enabled=javascript, viewport=WIDTHS[device],
                       storage_state=logged_in_state("member")).new_page()
    page.goto("/new/idea?lang=fi")
    page.get_by_label("Otsikko").fill(f"Kuntakokeilun jatkoidea ({javascript})")
    page.select_option("#relations-0-kind", "based_on")
    if javascript:  # suggestions while typing (a datalist filled from the API)
        page.locator("#relations-0-entry").press_sequentially("Työllisyyden kuntakokeilu", delay=20)
        page.wait_for_selector("#picker-list-0 option", state="attached")
        slug = page.locator("#picker-list-0 option").first.get_attribute("value")
        page.fill("#relations-0-entry", slug)
    else:  # "Find" posts the form; the entries found come back as choices
        page.fill("#relations-0-entry", "Työllisyyden kuntakokeilu")
        with page.expect_navigation():
            page.get_by_role("button", name="Hae (yhteys 1)").click()
        assert page.url.endswith("#relation-0"), page.url  # back at the row, not at the top of a long form
        choice = page.locator("input[name='relations-0-pick']").first
        expect(choice).to_be_in_viewport()
        slug = choice.get_attribute("value")
        choice.check()
        keep_screenshot(page, f"onboard-picker-without-js-{device}")
    with page.expect_navigation():
        page.get_by_role("button", name="Tallenna luonnoksena").click()
    assert re.search(r"/entries/[a-z0-9-]+/edit$", page.url), page.url
    expect(page.locator("#relations-0-entry")).to_have_value(slug)
