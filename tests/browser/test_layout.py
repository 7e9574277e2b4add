"""Key pages on a 360 px phone and a 1280 px desktop: screenshots for people, no sideways scrolling.

The test checks that nothing is wider than the viewport, the commonest way a phone layout breaks.
Full-page screenshots go to browser-artifacts/ (git-ignored) for a human to look at: of a page
that fails the check, always, and of every page with IDEAPANKKI_SCREENSHOTS=1. They were taken on
every run until December 2026 and cost about as much as the checks themselves (~1 s a page:
encoding a full-page PNG), while no test reads them.

Every check opens its page in the module's one page of its role (conftest's tab_as), set to the
width it checks, instead of a new browser context each (~0.5 CPU-s of Chromium apiece).
"""

from __future__ import annotations

import pytest

from browsing import in_language, keep_screenshot
from page_types import by_name

pytestmark = pytest.mark.browser

WIDTHS = {"phone": 360, "desktop": 1280}
SCREENSHOT_PAGES = ("front", "search-results", "entry-practice", "entry-structured", "adopters", "entry-norm-timeline",
                    "statistics", "submission-errors", "accessibility", "browse-filtered", "my-entries", "moderation-log",
                    "open-data", "review-practice", "author-status")
WIDEST = """() => {
    const limit = document.documentElement.clientWidth;
    return [...document.querySelectorAll('body *')]
        .filter(el => el.getBoundingClientRect().right > limit + 1 && !el.closest('.table-scroll, .chart-frame'))
        .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
                             + ' right=' + Math.round(el.getBoundingClientRect().right));
}"""


def sized(page, width: int, height: int):
    """PAGE with its viewport set to WIDTH x HEIGHT (the next navigation lays the page out at that size)."""
    page.set_viewport_size({"width": width, "height": height})
    return page


@pytest.mark.parametrize("device", WIDTHS)
@pytest.mark.parametrize("name", SCREENSHOT_PAGES)
def test_layout_fits_and_screenshot(site, tab_as, name, device):
    page_type = by_name(name)
    width = WIDTHS[device]
    page = sized(tab_as(page_type.role), width, 800)
    page.goto(in_language(page_type.path(site.world), "fi"))
    if page_type.then:
        page_type.then(page)
    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    keep_screenshot(page, f"{name}-{width}", failed=scroll_width > width, full_page=True)
    assert scroll_width <= width, f"{name} scrolls sideways at {width} px ({scroll_width} px): {page.evaluate(WIDEST)}"


@pytest.mark.parametrize("name", ["search-results", "browse-filtered"])
def test_on_a_phone_the_first_result_comes_before_the_filters_and_above_the_fold(site, tab_as, name):
    page = sized(tab_as(None), 360, 740)
    page.goto(in_language(by_name(name).path(site.world), "fi"))
    first = page.locator(".results article, .results li").first.bounding_box()
    assert first["y"] < 740, f"the first result starts at {first['y']:.0f} px, below the fold"
    assert page.locator("#facets-title").bounding_box()["y"] > first["y"], "the filters come before the results"
    jump = page.locator(".facets-jump a")
    assert jump.is_visible()
    jump.click()
    assert page.evaluate("location.hash") == "#facets-title"


LEGIBLE_PX = 12  # the smallest text of a chart, in CSS pixels as drawn


@pytest.mark.parametrize("device", WIDTHS)
def test_the_year_chart_fits_the_screen_with_legible_text_and_its_table(site, tab_as, device):
    width = WIDTHS[device]
    page = sized(tab_as(None), width, 800)
    page.goto(in_language("/statistics", "fi"))
    chart = page.locator("#chart-types")
    chart.scroll_into_view_if_needed()
    keep_screenshot(page.locator("section.stats-section").first, f"statistics-years-{width}")
    frame = page.locator(".chart-frame").filter(has=chart)
    assert frame.evaluate("el => el.scrollWidth <= el.clientWidth"), "the year chart scrolls inside its frame"
    box = chart.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    smallest = chart.evaluate("""svg => svg.getBoundingClientRect().width / svg.viewBox.baseVal.width
        * Math.min(...[...svg.querySelectorAll('text')].map(t => Number(t.getAttribute('font-size'))))""")
    assert smallest >= LEGIBLE_PX, f"the year chart's smallest text is {smallest:.1f} px at {width} px"
    years = page.locator("#types-caption").locator("xpath=..").locator("tbody tr")
    assert years.count() >= 1 and chart.locator("text[font-weight='bold']").count() == years.count()


HEADER_PX = 300  # a phone's header: brand, search, account and language links, the main navigation (was 400)


def test_on_a_phone_the_header_is_short_and_every_main_link_is_in_sight(site, tab_as):
    page = sized(tab_as(None), 360, 740)
    page.goto(in_language("/", "fi"))
    height = page.locator(".site-header").bounding_box()["height"]
    assert height <= HEADER_PX, f"the header takes {height:.0f} px of a 740 px phone screen"
    links = page.locator(".main-nav a")
    assert links.count() >= 7
    links.first.focus()
    for i in range(links.count()):
        if i:
            page.keyboard.press("Tab")  # as a keyboard user moves along the row
        assert page.evaluate("document.activeElement.textContent") == links.nth(i).inner_text()
        box = links.nth(i).bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= 360, f"{links.nth(i).inner_text()} stays off-screen"
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360  # the row scrolls, the page does not
    assert "Kuntien kokeilut" in page.locator(".brand").evaluate("a => a.textContent")  # the tagline is still its name
