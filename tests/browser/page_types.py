"""The page types the browser tests visit: one row per kind of page a visitor, member or moderator sees.

Each row gives who looks (None = anonymous), a path built from the test world, and an
optional step that brings the page into the state worth checking (e.g. errors shown).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from site_world import World


def _submit_incomplete_norm(page) -> None:
    """Send a norm proposal with only a title and summary, so the errors of its own fields show."""
    page.fill("#title", "Kokeilulaki kuntien yhteishankinnoille")
    page.fill("#summary", "Kunnat saisivat kokeilla yhteishankintoja.")
    with page.expect_navigation():
        page.click("form.entry-form button[value=submit]")
    assert page.locator(".error-summary").count() == 1, "the form did not show its errors"


def _type_a_known_title(page) -> None:
    """Type a title like published ones: similar.js lists them in a live region (content made by script)."""
    page.locator("#title").press_sequentially("Työllisyyden kuntakokeilu", delay=20)
    page.wait_for_selector("#similar-live li")


def _mark_without_a_year(page) -> None:
    """Mark the entry as in use without saying since when, so the adoption form shows its error."""
    page.check("#status-0")
    with page.expect_navigation():
        page.click("form.adoption-form button[type=submit]")
    assert page.locator(".adoption-form .error-summary").count() == 1, "the form did not show its errors"


def _register_with_mistakes(page) -> None:
    """Send the registration form with a bad address and mismatched passwords."""
    page.fill("#name", "Testi Henkilö")
    page.fill("#email", "ei-osoite")
    page.fill("#password", "lyhyt")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator(".error-summary").count() == 1, "the form did not show its errors"


def _return_without_a_comment(page) -> None:
    """Return the entry with the comment left empty: the review page says so at the comment field."""
    with page.expect_navigation():
        page.click("section.decide button[value=return]")
    assert page.locator("#comment-error").count() == 1, "the comment field did not show its error"


def _ask_to_reject(page) -> None:
    """Reject with a reason: the confirmation page (nothing is rejected until it is confirmed)."""
    page.fill("#comment", "Ei kuulu ideapankkiin.")
    with page.expect_navigation():
        page.click("section.decide button[value=reject]")
    assert page.locator("input[name=confirmed]").count() == 1, "no confirmation was asked"


@dataclass(frozen=True)
class PageType:
    name: str
    path: Callable[[World], str]
    role: str | None = None
    then: Callable | None = None


PAGES = (
    PageType("front", lambda w: "/"),
    PageType("browse-filtered", lambda w: f"/entries?type=practice&theme={w.theme}"),
    PageType("search-results", lambda w: "/search?q=kokeilu"),
    PageType("search-no-results", lambda w: "/search?q=zxqvbnmwq"),
    PageType("entry-practice", lambda w: f"/entries/{w.practice}"),
    PageType("entry-idea", lambda w: f"/entries/{w.idea}"),  # with organisations using it, and their map
    PageType("entry-adoption-form", lambda w: f"/entries/{w.practice}", "adopter"),
    PageType("entry-adoption-errors", lambda w: f"/entries/{w.practice}", "adopter", _mark_without_a_year),
    PageType("entry-structured", lambda w: f"/entries/{w.structured}"),  # with more marks than its table shows
    PageType("adopters", lambda w: f"/entries/{w.structured}/adopters"),
    PageType("entry-norm-timeline", lambda w: f"/entries/{w.norm}"),
    PageType("entry-norm-moderator", lambda w: f"/entries/{w.norm}", "moderator"),
    PageType("municipality", lambda w: f"/municipalities/{w.municipality}"),
    PageType("theme", lambda w: f"/themes/{w.theme}"),
    PageType("programmes", lambda w: "/programmes"),
    PageType("programme", lambda w: f"/programmes/{w.programme}"),
    PageType("statistics", lambda w: "/statistics"),
    PageType("open-data", lambda w: "/data"),
    PageType("moderation-log", lambda w: "/moderation-log"),
    PageType("accessibility", lambda w: "/accessibility"),
    PageType("privacy", lambda w: "/privacy"),
    PageType("follow-form", lambda w: f"/follow?kind=theme&value={w.theme}"),
    PageType("report-form", lambda w: f"/entries/{w.practice}/report"),
    PageType("reports-queue", lambda w: "/moderation/reports", "moderator"),
    PageType("not-found", lambda w: "/entries/no-such-entry"),
    PageType("login", lambda w: "/login"),
    PageType("register", lambda w: "/register"),
    PageType("register-errors", lambda w: "/register", None, _register_with_mistakes),
    PageType("password-reset", lambda w: "/reset"),
    PageType("submission-errors", lambda w: "/new/norm", "member", _submit_incomplete_norm),
    PageType("submission-similar", lambda w: "/new/practice", "member", _type_a_known_title),
    PageType("submit-start", lambda w: "/submit"),
    PageType("submit-start-member", lambda w: "/submit", "member"),
    PageType("my-entries", lambda w: "/my", "member"),
    PageType("account", lambda w: "/account", "member"),
    PageType("account-moderator", lambda w: "/account", "moderator"),
    PageType("moderation-queue", lambda w: "/moderation", "moderator"),
    PageType("vocabulary", lambda w: "/moderate/vocabulary/?q=koulu", "moderator"),
    PageType("vocabulary-concept", lambda w: "/moderate/vocabulary/esiopetus", "moderator"),
    PageType("review", lambda w: f"/moderation/{w.submitted}", "moderator"),
    PageType("review-practice", lambda w: f"/moderation/{w.structured_review}", "moderator"),
    PageType("submission-form-practice", lambda w: "/new/practice", "member"),
    PageType("review-edit", lambda w: f"/moderation/{w.revised}", "moderator"),  # the pending edit's field diff
    PageType("review-refused", lambda w: f"/moderation/{w.structured_review}", "moderator", _return_without_a_comment),
    PageType("review-confirm", lambda w: f"/moderation/{w.structured_review}", "moderator", _ask_to_reject),
    PageType("author-status", lambda w: f"/entries/{w.submitted}/status", "member"),
    PageType("version-history", lambda w: f"/entries/{w.versions}/history"),
    PageType("revisions", lambda w: f"/entries/{w.revised}/revisions", "moderator"),
    PageType("revision-diff", lambda w: f"/entries/{w.revised}/diff?a=1&b=2", "moderator"),
    PageType("admin-memberships", lambda w: "/admin/memberships", "admin"),
    PageType("admin-users", lambda w: "/admin/users", "admin"),
    PageType("admin-organisations", lambda w: "/admin/organisations", "admin"),
)

# The pages a reader meets first: checked for CSP reports, overflow on phones, screenshots.
MAIN_PAGES = ("front", "browse-filtered", "search-results", "entry-practice", "entry-norm-timeline",
              "statistics", "open-data", "accessibility", "login", "submission-errors")


def by_name(name: str) -> PageType:
    return next(p for p in PAGES if p.name == name)
