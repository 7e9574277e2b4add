"""The moderator's path through one entry, in Chromium at desktop and phone widths.

A member's submission copies a published entry: the review page flags it as a possible duplicate.
The moderator takes it, tries to return it without a comment (the error stands at the comment field,
nothing else moves), returns it with one; the author reads the comment at the top of their status
page (no moderator's comment box there) and on the edit form, and sends it again; the moderator
asks to reject it and confirms on the confirmation page. A pending edit of a published entry
shows its changed fields, words marked, in one column that fits the phone.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect as default_expect
from sqlmodel import Session

from browsing import keep_screenshot
from ideapankki import entries, workflow
from ideapankki.content import EntryDocument
from ideapankki.models import User
from ideapankki.web.database import ENGINE_KEY
from ideapankki.web.index import SEARCH_KEY
from sqlmodel import select

pytestmark = pytest.mark.browser
expect = type(default_expect)()
expect.set_options(timeout=15_000)
WIDTHS = {"desktop": 1280, "phone": 360}
COMMENT = "Kerro, mitä tämä lisää jo julkaistuun merkintään."


def near_copy(site, width: int) -> tuple[str, str]:
    """A member's submission that copies the published structured practice: (its slug, its title)."""
    engine = site.app.extensions[ENGINE_KEY]
    with Session(engine, expire_on_commit=False) as session:
        original = entries.get_by_slug(session, site.world.structured)
        member = session.exec(select(User).where(User.email == site.world.emails["member"])).one()
        title = f"{original.title} {width}"
        doc = EntryDocument(slug="", type="idea", title=title, summary=original.summary, body=original.body_md,
                            municipalities=["Kajaani"], themes=["tyollisyys"])
        copy = entries.create_entry(session, doc, ["205"], member)
        workflow.act(session, copy, workflow.Action.submit, member)
        session.commit()
        slug = copy.slug
    site.app.extensions[SEARCH_KEY].catch_up()
    return slug, title


def fits(page, name: str, width: int) -> None:
    """PAGE does not scroll sideways at WIDTH; its full-page screenshot is kept when it does (or when asked)."""
    scroll = page.evaluate("document.scrollingElement.scrollWidth")
    keep_screenshot(page, f"review-path-{name}-{width}", failed=scroll > width, full_page=True)
    assert scroll <= width, f"{page.url} scrolls sideways at {width} px ({scroll} px)"


@pytest.mark.parametrize("device", WIDTHS)
def test_the_moderators_path_through_one_entry(site, new_context, logged_in_state, device):
    width = WIDTHS[device]
    slug, title = near_copy(site, width)
    context = lambda role: new_context(viewport={"width": width, "height": 900},  # noqa: E731
                                       storage_state=logged_in_state(role))
    moderator, member = context("moderator").new_page(), context("member").new_page()

    # Queue → review: the possible duplicate is flagged with its similarity; every field is shown.
    moderator.goto("/moderation?lang=fi")
    moderator.get_by_role("link", name=title).click()
    duplicates = moderator.get_by_role("region", name="Mahdollinen kaksoiskappale")
    expect(duplicates).to_contain_text("% sanoista yhteisiä")
    expect(duplicates.get_by_role("link").first).to_have_attribute("href", f"/entries/{site.world.structured}")
    expect(moderator.get_by_text(site.world.emails["member"])).to_be_visible()
    fits(moderator, "duplicate", width)
    moderator.get_by_role("button", name="Ota tarkastettavaksi").click()

    # Return without a comment: the reason at the field, the state unchanged; then with one.
    moderator.get_by_role("button", name="Palauta tekijälle").click()
    comment = moderator.get_by_label("Kommentti tekijälle")
    expect(comment).to_have_attribute("aria-invalid", "true")
    expect(moderator.locator("#comment-error")).to_contain_text("Kirjoita kommentti")
    expect(moderator.locator("p.kicker")).to_contain_text("Tarkastettavana")
    fits(moderator, "error-at-field", width)
    comment.fill(COMMENT)
    moderator.get_by_role("button", name="Palauta tekijälle").click()
    expect(moderator.get_by_role("status")).to_have_text("Tehty: palautettu tekijälle.")

    # The author: the comment at the top of the status page and on the edit form; no moderator's box.
    member.goto("/my?lang=fi")
    member.get_by_role("link", name=title).click()
    expect(member.get_by_role("note")).to_contain_text(COMMENT)
    expect(member.get_by_label("Kommentti tekijälle")).to_have_count(0)
    fits(member, "author-status", width)
    member.get_by_role("link", name="Muokkaa", exact=True).click()
    expect(member.get_by_role("note")).to_contain_text(COMMENT)
    member.get_by_label("Tiivistelmä", exact=True).fill("Oma lisä: kokeilu laajenee kyläkouluihin.")
    member.get_by_role("button", name="Lähetä tarkastettavaksi").click()

    # Reject asks first (without JavaScript: a page); confirming rejects it.
    moderator.goto(f"/moderation/{slug}?lang=fi")
    moderator.get_by_role("button", name="Ota tarkastettavaksi").click()
    moderator.get_by_label("Kommentti tekijälle").fill("Sama kuin julkaistu merkintä.")
    moderator.get_by_role("button", name="Hylkää…").click()
    expect(moderator.get_by_role("heading", level=1)).to_have_text("Vahvista: Hylkää")
    expect(moderator.get_by_label("Kommentti tekijälle")).to_have_value("Sama kuin julkaistu merkintä.")
    fits(moderator, "confirm", width)
    moderator.get_by_role("button", name="Kyllä: hylkää").click()
    expect(moderator.get_by_role("status")).to_have_text("Tehty: hylätty.")
    expect(moderator.locator("p.kicker")).to_contain_text("Hylätty")

    # A pending edit: changed fields only, labelled in Finnish, the changed words marked, one column.
    moderator.goto(f"/moderation/{site.world.revised}?lang=fi")
    diff = moderator.locator("dl.field-diff")
    expect(diff.locator("dt")).to_have_text(["Kuvaus"])
    expect(diff.locator("ins").first).to_contain_text("äänikirjat")
    height = diff.evaluate("el => Math.round(el.getBoundingClientRect().height)")
    print(f"pending-edit diff at {width} px: {height} px high")
    fits(moderator, "diff", width)
