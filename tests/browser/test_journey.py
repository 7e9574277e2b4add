"""The whole journey of a norm proposal, in a real browser, as people do it.

A new member registers and confirms the address from an e-mail that a real SMTP server on
loopback received; a moderator approves the membership; the member writes a norm proposal; the
moderator returns it with a comment (the member is told by e-mail), the member fixes the
summary and sends it again, and the moderator publishes it. Last, an anonymous reader finds it
with a Finnish word that the text has only in inflected forms (only Voikko's base forms connect
the two), opens it, and follows the search as an Atom feed.

Everything goes through the Finnish UI: fields are found by their labels and buttons and links
by their accessible names, so the journey also proves that the labels work.
"""

from __future__ import annotations

import re
import socket
import time
from email import message_from_bytes, policy
from email.message import EmailMessage

import feedparser
import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import Page
from playwright.sync_api import expect as default_expect

from ideapankki.mail import MailSettings

from site_world import PASSWORD as WORLD_PASSWORD

pytestmark = pytest.mark.browser

# Assertions wait as long as the contexts' actions (conftest: 15 s), not expect's global 5 s: the
# journey hashes passwords and loads Voikko on machines shared with other test runs. A module's
# own Expect, so the global setting other tests see stays as it is.
expect = type(default_expect)()
expect.set_options(timeout=15_000)

NAME = "Kaisa Kokeilija"
EMAIL = "kaisa.kokeilija@kajaani.fi"
PASSWORD = "sininen lautta kelluu hiljaa"
TITLE = "Kotihoidon raportointivelvoitteiden keventäminen"
SUMMARY = "Kajaani ehdottaa, että päällekkäisistä raportointivelvoitteista luovutaan."
FIXED_SUMMARY = ("Kajaani ehdottaa, että kuntien päällekkäisistä raportointivelvoitteista luovutaan "
                 "kokeilun ajaksi, jotta hoitajien aika riittää asiakkaille.")
BODY = ("## Tausta\n\n"
        "Hoitajat käyttävät kotihoidossa jopa tunnin päivässä samojen tietojen kirjaamiseen "
        "useaan järjestelmään. Raportointivelvoitteista osa on päällekkäisiä.\n\n"
        "## Ehdotus\n\n"
        "- yksi kirjaus riittää\n"
        "- tilastot kootaan potilastietojärjestelmästä")
COMMENT = "Tiivistelmästä puuttuu, kenen raportointia ehdotus koskee ja kuinka pitkään kokeilu kestäisi."
# The query shares no surface form with the entry: "kotihoito" is in the text only as "Kotihoidon"
# and "kotihoidossa", which a stemmer without Voikko reduces to "kotihoido".
QUERY = "kotihoito"


class Inbox:
    """What the loopback SMTP server receives (handle_DATA runs in the server's thread)."""

    def __init__(self):
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def last_to(self, address: str, subject: str) -> EmailMessage:
        """The latest message to ADDRESS; it must have SUBJECT. The site sends once its answer has
        gone out (ideapankki.outbox), so the message may arrive just after the page: wait for it."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not any(
                " ".join(m["Subject"].split()) == subject for m in self.to(address)):
            time.sleep(0.05)
        received = self.to(address)
        assert received, f"no e-mail to {address}; got {[(m['To'], m['Subject']) for m in self.messages]}"
        # Compared with whitespace collapsed: CPython's header folder (3.11) can leave a space before
        # a fold that precedes an encoded word ("…velvoitteiden \r\n =?utf-8?q?kevent=C3=A4minen?="),
        # which decodes as two spaces. The site sends one-line subjects; the wire form is the stdlib's.
        assert " ".join(received[-1]["Subject"].split()) == subject
        return received[-1]


@pytest.fixture
def inbox(site, tmp_path):
    """A real SMTP server on 127.0.0.1; the running site sends through it for this test only."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    box = Inbox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    missing = object()
    before = site.app.config.get("MAIL_SETTINGS", missing)
    site.app.config["MAIL_SETTINGS"] = MailSettings(
        host="127.0.0.1", port=port, username=None, password=None, starttls=False,
        sender="Ideapankki <noreply@ideapankki.test>", folder=tmp_path / "mail")
    try:
        yield box
    finally:
        if before is missing:
            site.app.config.pop("MAIL_SETTINGS", None)
        else:
            site.app.config["MAIL_SETTINGS"] = before
        controller.stop()


def log_in(page: Page, email: str, password: str) -> None:
    """Log in from the header's link, as a person does, and come back to the page."""
    page.get_by_role("navigation", name="Käyttäjätili").get_by_role("link", name="Kirjaudu", exact=True).click()
    expect(page.get_by_role("heading", name="Kirjaudu", exact=True)).to_be_visible()
    page.get_by_label("Sähköpostiosoite", exact=True).fill(email)
    page.get_by_label("Salasana", exact=True).fill(password)
    page.get_by_role("main").get_by_role("button", name="Kirjaudu", exact=True).click()
    expect(page.get_by_role("button", name="Kirjaudu ulos")).to_be_visible()


def flash(page: Page):
    return page.get_by_role("status")


def state_line(page: Page):
    """The review page's line with the entry's type and state."""
    return page.locator("p.kicker")


def link_in(body: str, path: str) -> str:
    found = re.search(rf"https?://\S+{path}\S*", body)
    assert found, f"no {path} link in:\n{body}"
    return found.group(0)


@pytest.mark.slow
def test_register_submit_return_fix_publish_search_follow(site, new_context, inbox):
    member, moderator, reader = (new_context().new_page() for _person in range(3))
    script_errors = []
    for page in (member, moderator, reader):
        page.on("pageerror", lambda error: script_errors.append(error))

    # 1. A new member registers: the site says to check the e-mail.
    member.goto("/")
    member.get_by_role("link", name="Rekisteröidy").click()
    expect(member.get_by_role("heading", name="Rekisteröidy")).to_be_visible()
    member.get_by_label("Nimi", exact=True).fill(NAME)
    member.get_by_label("Sähköpostiosoite", exact=True).fill(EMAIL)
    member.get_by_label("Organisaatio", exact=True).select_option(label="Kajaani")
    member.get_by_label("Salasana", exact=True).fill(PASSWORD)
    member.get_by_label("Salasana uudelleen", exact=True).fill(PASSWORD)
    member.get_by_role("button", name="Luo tunnus").click()
    expect(member.get_by_role("heading", name="Tarkista sähköpostisi")).to_be_visible()
    expect(member.get_by_text(f"Lähetimme vahvistuslinkin osoitteeseen {EMAIL}.")).to_be_visible()

    # 2. The confirmation arrives over SMTP; its link opens in the browser and confirms the address.
    confirmation = inbox.last_to(EMAIL, "Vahvista sähköpostiosoitteesi Ideapankkiin")
    body = confirmation.get_body().get_content()
    assert body.startswith(f"Hei {NAME},")
    link = link_in(body, "/confirm/")
    assert link.startswith(site.url + "/"), link
    member.goto(link)
    expect(member.get_by_role("heading", name="Sähköpostiosoite vahvistettu")).to_be_visible()
    expect(member.get_by_text("Kun moderaattori hyväksyy jäsenyytesi")).to_be_visible()

    # The member can log in, but not submit before the membership is approved.
    log_in(member, EMAIL, PASSWORD)
    member.goto("/new/norm")
    expect(member.get_by_role("heading", name="Et voi vielä lähettää")).to_be_visible()

    # A moderator approves the membership on the memberships page.
    moderator.goto("/")
    log_in(moderator, site.world.emails["moderator"], WORLD_PASSWORD)
    moderator.get_by_role("link", name="Jäsenyydet").click()
    expect(moderator.get_by_role("heading", name="Hyväksyntää odottavat jäsenyydet")).to_be_visible()
    expect(moderator.get_by_role("row").filter(has_text=EMAIL)).to_contain_text("Kajaani")
    moderator.get_by_role("button", name=f"Hyväksy {NAME}").click()
    expect(flash(moderator)).to_have_text(f"{NAME} voi nyt lähettää merkintöjä.")
    expect(moderator.get_by_role("row").filter(has_text=EMAIL)).to_have_count(0)

    # 3. The member writes a norm proposal and sends it for review.
    member.get_by_role("link", name="Omat merkinnät").click()
    expect(member.get_by_role("heading", name="Omat merkinnät")).to_be_visible()
    member.get_by_role("link", name="Normiehdotus", exact=True).click()
    expect(member.get_by_role("heading", name="Uusi merkintä: Normiehdotus")).to_be_visible()
    # similar.js is deferred: the heading can show before it listens to the title field, so a
    # title typed then asks nothing (a run under load timed out here). DOMContentLoaded comes after it.
    member.wait_for_load_state("domcontentloaded")
    # While the title is typed, the form asks for similar published entries (similar.js).
    with member.expect_response(re.compile(r"/api/v1/similar\?")) as similar:
        member.get_by_label("Otsikko", exact=True).fill(TITLE)
    assert similar.value.ok
    member.get_by_label("Tiivistelmä", exact=True).fill(SUMMARY)
    member.get_by_label("Kuvaus", exact=True).fill(BODY)
    expect(member.get_by_label("Merkinnän kieli")).to_have_value("fi")
    member.get_by_label("Kunnat", exact=True).fill("Kajaani, Sotkamo")
    member.get_by_label("Sosiaali- ja terveyspalvelut", exact=True).check()
    member.get_by_label("Asiasanat", exact=True).fill("raportointi, kirjaaminen")
    member.get_by_label("Laki tai asetus", exact=True).fill(
        "Laki sosiaali- ja terveydenhuollon asiakastietojen käsittelystä")
    member.get_by_label("Säädösnumero", exact=True).fill("703/2023")
    member.get_by_label("Pykälä", exact=True).fill("11 §")
    proposal = member.get_by_role("group", name="Mitä säännökselle pitäisi tehdä?")
    proposal.get_by_label("Sitä kevennetään", exact=True).check()
    member.get_by_label("Miksi?", exact=True).fill("Sama tieto kirjataan kolmeen kertaan, eikä kaikkia käytetä.")
    member.get_by_label("Odotetut säästöt", exact=True).fill("Puoli henkilötyövuotta tiimiä kohti.")
    member.get_by_label("Ajansäästö", exact=True).fill("Tunti hoitajan työpäivässä.")
    member.get_by_label("Keitä asia koskee", exact=True).fill("Hoitajat ja asiakkaat.")
    member.get_by_role("group", name="Teet ehdotuksen").get_by_label("kunnan viranhaltijana").check()
    member.get_by_role("button", name="Lähetä tarkastettavaksi").click()
    expect(flash(member)).to_have_text("Lähetetty tarkastettavaksi. Moderaattori käy sen läpi pian.")
    expect(member.get_by_role("heading", name="Omat merkinnät")).to_be_visible()
    expect(member.get_by_role("row").filter(has_text=TITLE)).to_contain_text("Lähetetty")
    queued = inbox.last_to(site.world.emails["moderator"], f"Uutta moderointijonossa: {TITLE}")
    review_link = link_in(queued.get_body().get_content(), "/moderation/")

    # 4. The moderator takes it from the queue and returns it with a comment.
    moderator.get_by_role("link", name=re.compile(r"^Moderointi\b")).click()
    expect(moderator.get_by_role("heading", name="Moderointijono")).to_be_visible()
    expect(moderator.get_by_role("row").filter(has_text=TITLE)).to_contain_text("Lähetetty")
    moderator.get_by_role("link", name=TITLE).click()
    expect(moderator).to_have_url(review_link)
    expect(moderator.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(state_line(moderator)).to_contain_text("Normiehdotus Lähetetty")
    expect(moderator.get_by_text(SUMMARY)).to_be_visible()
    moderator.get_by_role("button", name="Ota tarkastettavaksi").click()
    expect(flash(moderator)).to_have_text("Tehty: otettu tarkastettavaksi.")
    expect(state_line(moderator)).to_contain_text("Tarkastettavana")
    moderator.get_by_label("Kommentti tekijälle").fill(COMMENT)
    moderator.get_by_role("button", name="Palauta tekijälle").click()
    expect(flash(moderator)).to_have_text("Tehty: palautettu tekijälle.")
    expect(state_line(moderator)).to_contain_text("Palautettu")
    expect(moderator.get_by_role("button", name="Julkaise")).to_have_count(0)

    # The member is told by e-mail, sees the comment under "my entries", fixes the summary, resends.
    returned = inbox.last_to(EMAIL, f"Merkintäsi palautettiin muokattavaksi: {TITLE}")
    returned_body = returned.get_body().get_content()
    assert COMMENT in returned_body
    status_link = link_in(returned_body, "/status")  # the mail leads to the entry's status page
    assert re.fullmatch(rf"{re.escape(site.url)}/entries/[a-z0-9-]+/status", status_link), status_link
    member.get_by_role("link", name="Omat merkinnät").click()
    row = member.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text("Palautettu")
    expect(row).to_contain_text(COMMENT)
    row.get_by_role("link", name=TITLE).click()  # the author's status page: the comment first
    expect(state_line(member)).to_contain_text("Palautettu")
    expect(member.get_by_role("note").filter(has_text=COMMENT)).to_be_visible()
    expect(member.get_by_label("Kommentti tekijälle")).to_have_count(0)
    member.get_by_role("link", name="Muokkaa", exact=True).click()
    expect(member.get_by_role("heading", name=f"Muokkaa: {TITLE}")).to_be_visible()
    summary = member.get_by_label("Tiivistelmä", exact=True)
    expect(summary).to_have_value(SUMMARY)
    expect(member.get_by_label("Kunnat", exact=True)).to_have_value("Kajaani, Sotkamo")
    summary.fill(FIXED_SUMMARY)
    member.get_by_role("button", name="Lähetä tarkastettavaksi").click()
    expect(flash(member)).to_have_text("Lähetetty tarkastettavaksi. Moderaattori käy sen läpi pian.")
    expect(member.get_by_role("row").filter(has_text=TITLE)).to_contain_text("Lähetetty")

    # 5. The moderator sees the fixed text and publishes it.
    moderator.get_by_role("link", name=re.compile(r"^Moderointi\b")).click()
    expect(moderator.get_by_role("heading", name="Moderointijono")).to_be_visible()
    moderator.get_by_role("link", name=TITLE).click()
    expect(state_line(moderator)).to_contain_text("Lähetetty")
    expect(moderator.get_by_text(FIXED_SUMMARY)).to_be_visible()
    moderator.get_by_role("button", name="Ota tarkastettavaksi").click()
    expect(flash(moderator)).to_have_text("Tehty: otettu tarkastettavaksi.")
    moderator.get_by_role("button", name="Julkaise").click()
    expect(flash(moderator)).to_have_text("Tehty: julkaistu.")
    expect(state_line(moderator)).to_contain_text("Julkaistu")
    expect(moderator.get_by_role("link", name="Julkaistu merkintä")).to_be_visible()
    published = inbox.last_to(EMAIL, f"Merkintäsi on julkaistu: {TITLE}")
    entry_url = link_in(published.get_body().get_content(), "/entries/")

    # 6. An anonymous reader searches from the front page with a base form absent from the text.
    reader.goto("/")
    search_box = reader.get_by_label("Hae ideapankista")
    search_box.fill(QUERY)
    search_box.press("Enter")
    expect(reader).to_have_title(f"Haku: {QUERY} – Ideapankki")
    expect(reader.get_by_role("heading", name="Haku", level=1)).to_be_visible()
    results = reader.get_by_role("region", name=re.compile(f"haulla ”{QUERY}”"))
    hit = results.get_by_role("link", name=TITLE)
    expect(hit).to_be_visible()
    hit.click()
    expect(reader).to_have_url(entry_url)
    expect(reader.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(reader.get_by_text(FIXED_SUMMARY)).to_be_visible()
    expect(reader.get_by_text(SUMMARY, exact=True)).to_have_count(0)

    # The search as an Atom feed: well-formed, and the entry is in it.
    reader.go_back()
    feed_link = reader.get_by_role("link", name="Seuraa tätä hakua syötteenä (Atom)")
    expect(feed_link).to_be_visible()
    response = reader.request.get(feed_link.get_attribute("href"))
    try:
        assert response.ok, response.status
        assert response.headers["content-type"].startswith("application/atom+xml")
        feed = feedparser.parse(response.body())
    finally:
        response.dispose()
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.feed.title == f"Ideapankki: haku ”{QUERY}”"
    items = {item.title: item for item in feed.entries}
    assert TITLE in items, list(items)
    assert items[TITLE].link == entry_url
    assert items[TITLE].summary == FIXED_SUMMARY
    assert script_errors == []

