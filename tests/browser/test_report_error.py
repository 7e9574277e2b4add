"""A reader reports an error on an entry, a moderator resolves it, and the reporter gets the
reply: in a real browser (Finnish UI), with the mail through a real SMTP server on loopback."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect as default_expect

from loopback_mail import smtp_inbox

pytestmark = pytest.mark.browser
expect = type(default_expect)()
expect.set_options(timeout=15_000)

REPORTER = "toimittaja@example.fi"
TEXT = "Kokeilun päättymisvuosi on väärin: kokeilu päättyi vuonna 2023."
REPLY = "Kiitos! Korjasimme päättymisvuoden."


@pytest.fixture
def inbox(site, tmp_path):
    before = site.app.config.get("MAIL_SETTINGS")
    with smtp_inbox(site.app, tmp_path / "mail") as box:
        yield box
    site.app.config.pop("MAIL_SETTINGS", None)
    if before is not None:
        site.app.config["MAIL_SETTINGS"] = before


def test_a_reader_reports_an_error_and_the_moderator_replies(site, page, page_as, inbox):
    page.goto(f"/entries/{site.world.practice}")
    page.get_by_role("link", name="Ilmoita virheestä").click()
    expect(page.get_by_role("heading", name="Ilmoita virheestä")).to_be_visible()
    page.get_by_label("Asiavirhe").check()
    page.get_by_label("Kerro tarkemmin").fill(TEXT)
    page.get_by_label("Sähköpostiosoitteesi (vapaaehtoinen)").fill(REPORTER)
    page.get_by_role("button", name="Lähetä ilmoitus").click()
    expect(page.get_by_role("heading", name="Kiitos")).to_be_visible()

    moderator = page_as("moderator")
    moderator.goto("/")
    moderator.get_by_role("navigation", name="Käyttäjätili").get_by_role("link", name="Ilmoitukset").click()
    report = moderator.get_by_role("region").filter(has_text=TEXT)
    expect(report).to_contain_text("Ilmoittaja haluaa vastauksen.")
    report.get_by_label("Merkintä korjattiin").check()
    report.get_by_label("Vastaus ilmoittajalle (vapaaehtoinen)").fill(REPLY)
    report.get_by_role("button", name="Käsittele").click()
    expect(moderator.get_by_role("status")).to_contain_text("Ilmoitus käsiteltiin.")
    expect(moderator.get_by_role("region").filter(has_text=TEXT)).to_have_count(0)

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not any(m["To"] == REPORTER for m in inbox.messages):
        time.sleep(0.05)
    (reply,) = [m for m in inbox.messages if m["To"] == REPORTER]
    assert reply["Subject"].startswith("Ilmoituksesi Ideapankissa:")
    assert REPLY in reply.get_body().get_content()
