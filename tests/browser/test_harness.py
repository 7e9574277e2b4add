"""The browser tests' own rules, checked without a browser: skip or fail without Chromium, and the
accessibility statement tells what the browser tests check."""

from pathlib import Path

import pytest

from browsing import LANGUAGES, require_chromium
from page_types import PAGES

from ideapankki.config import LANGUAGES as SITE_LANGUAGES
from ideapankki.web.views.accessibility import AXE_PAGE_TYPES


def test_missing_chromium_skips_by_default(monkeypatch, tmp_path):
    monkeypatch.delenv("IDEAPANKKI_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="chromium"):
        require_chromium(tmp_path / "chromium")


def test_missing_chromium_fails_when_the_browser_is_required(monkeypatch, tmp_path):
    monkeypatch.setenv("IDEAPANKKI_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="IDEAPANKKI_REQUIRE_BROWSER"):
        require_chromium(tmp_path / "chromium")


def test_present_chromium_passes(tmp_path):
    (tmp_path / "chromium").touch()
    require_chromium(Path(tmp_path / "chromium"))


def test_statement_counts_the_page_types_axe_checks():
    assert AXE_PAGE_TYPES == len(PAGES)
    assert LANGUAGES == SITE_LANGUAGES
