"""A member of another municipality marks a practice as in use: the entry page's table and map and the
statistics page change, and the practice's author gets the mail (SMTP on loopback)."""

from __future__ import annotations

import pytest

from browsing import keep_screenshot
from loopback_mail import smtp_inbox

pytestmark = pytest.mark.browser


def _region_row(page, section: str, region: str) -> list[str]:
    """The numbers in REGION's row of the table that follows SECTION's heading."""
    row = page.locator(f"#{section}-caption").locator("xpath=ancestor::table").locator(
        "tr", has=page.locator("th", has_text=region))
    return row.locator("td").all_inner_texts()


def test_member_of_another_municipality_marks_a_practice_in_use(site, page, page_as, tmp_path):
    slug = site.world.revised  # Kajaani's practice, written by the member of Kajaani
    page.goto("/statistics")
    before = _region_row(page, "adoption-regions", "Pohjois-Pohjanmaa")
    page.goto(f"/entries/{slug}")
    assert page.locator("#adoptions-caption").count() == 0  # nobody has it in use yet
    assert page.locator("#adoption-map").count() == 0

    oulu = page_as("adopter")
    oulu.set_viewport_size({"width": 1280, "height": 900})
    oulu.goto(f"/entries/{slug}")
    settings = site.app.config.get("MAIL_SETTINGS")
    try:
        with smtp_inbox(site.app, tmp_path / "mail") as inbox:
            oulu.get_by_label("Meillä käytössä").check()
            oulu.fill("#year", "2025")
            oulu.fill("#note", "Käytössä kirjastopalveluissa.")
            with oulu.expect_navigation():
                oulu.click("form.adoption-form button[type=submit]")
            assert "Organisaatiosi merkintä tallennettiin." in oulu.locator(".flash").inner_text()
            for _ in range(50):  # the mail leaves after the response has closed
                if inbox.messages:
                    break
                oulu.wait_for_timeout(100)
    finally:
        site.app.config["MAIL_SETTINGS"] = settings

    [message] = inbox.messages
    assert message["To"] == site.world.emails["member"]
    assert "Oulu" in message["Subject"] and "Kirjaston kotipalvelu kokeiluna" in message["Subject"]
    assert "2025" in message.get_body().get_content()

    page.goto(f"/entries/{slug}")
    row = page.locator(".adoption-table tbody tr", has=page.locator("th", has_text="Oulu"))
    assert row.locator("td").all_inner_texts()[:4] == ["Oulu", "Pohjois-Pohjanmaa", "Käytössä", "2025"]
    cell = page.evaluate("""() => {
        const g = [...document.querySelectorAll('#adoption-map g')]
            .find(g => g.querySelector('title').textContent.startsWith('Pohjois-Pohjanmaa'));
        return {texts: [...g.querySelectorAll('text')].map(t => t.textContent), fill: g.querySelector('rect').getAttribute('fill')};
    }""")
    assert "Käytössä: 1" in cell["texts"] and cell["fill"] != "#f2f5f8"  # written and shaded
    page.set_viewport_size({"width": 1280, "height": 900})
    keep_screenshot(page.locator("#adoptions-title"), "adoption-entry-heading-1280")
    keep_screenshot(page.locator("section.adoptions"), "adoption-entry-1280")
    page.set_viewport_size({"width": 360, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # the map and table scroll in their frames
    keep_screenshot(page.locator("section.adoptions"), "adoption-entry-360")
    oulu.set_viewport_size({"width": 360, "height": 800})
    keep_screenshot(oulu.locator("form.adoption-form"), "adoption-form-360")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/statistics")
    after = _region_row(page, "adoption-regions", "Pohjois-Pohjanmaa")
    assert int(after[0]) == int(before[0]) + 1 and after[1] == before[1]
    top = page.locator("#adoption-top-caption").locator("xpath=ancestor::table")
    assert "Kirjaston kotipalvelu kokeiluna" in top.inner_text()
    keep_screenshot(page.locator("#chart-adoption-regions"), "adoption-statistics-map-1280")
