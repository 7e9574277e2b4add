"""Helpers for the browser tests: where Chromium is, how to log in, per-language addresses."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from site_world import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium calls home, and the closed network refuses it.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LANGUAGES = ("fi", "sv", "en")
ARTIFACTS = Path(__file__).resolve().parents[2] / "browser-artifacts"
SCREENSHOTS = os.environ.get("IDEAPANKKI_SCREENSHOTS") == "1"  # screenshots for a human (keep_screenshot)


def keep_screenshot(target, name: str, *, failed: bool = False, **options) -> None:
    """Screenshot TARGET (a page or a locator) to browser-artifacts/NAME.png when FAILED (what a human
    then looks at) or with IDEAPANKKI_SCREENSHOTS=1.

    No test reads them, and a full-page PNG costs about as much as a check (test_layout's docstring),
    so a passing run takes them only when asked to.
    """
    if SCREENSHOTS or failed:
        ARTIFACTS.mkdir(exist_ok=True)
        target.screenshot(path=ARTIFACTS / f"{name}.png", **options)


def require_chromium(path: Path) -> None:
    """Skip when PATH is not there, or fail when IDEAPANKKI_REQUIRE_BROWSER says it must be (CI)."""
    if path.exists():
        return
    message = f"{path} is missing: install Debian's chromium package to run the browser tests"
    if os.environ.get("IDEAPANKKI_REQUIRE_BROWSER"):
        pytest.fail(message + " (IDEAPANKKI_REQUIRE_BROWSER is set)")
    pytest.skip(message)


def log_in(page, email: str, password: str = PASSWORD) -> None:
    """Log in through the real form; fails unless the site greets a logged-in user."""
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("form[action$='/logout']").count() == 1, f"log-in as {email} failed"


def in_language(path: str, lang: str) -> str:
    """PATH with ?lang=LANG (the site's stable per-language address)."""
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"
