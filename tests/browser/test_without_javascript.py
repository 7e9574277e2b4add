"""With JavaScript turned off the site still works: search, open an entry, see the submission form."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def test_search_and_open_an_entry_without_javascript(new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.set_content("<title>before</title><script>document.title = 'ran'</script>")
    assert page.title() == "before", "JavaScript is not off"
    page.goto("/")
    page.fill("#header-q", "kuntakokeilu")
    with page.expect_navigation():
        page.press("#header-q", "Enter")
    assert re.search(r"/search\?q=kuntakokeilu", page.url)
    first = page.locator(".search-results a").first
    title = first.inner_text()
    with page.expect_navigation():
        first.click()
    assert page.locator("main h1").inner_text() == title


def test_the_submission_form_works_without_javascript(new_context, logged_in_state):
    page = new_context(java_script_enabled=False, storage_state=logged_in_state("member")).new_page()
    page.goto("/new/idea?lang=en")
    page.fill("#title", "Kirjastoauto koulujen kesäkäyttöön")
    page.fill("#summary", "Kirjastoauto kiertää kesällä koulujen pihoilla.")
    with page.expect_navigation():
        page.click("button[value=preview]")
    assert page.locator("#preview-title").count() == 1
