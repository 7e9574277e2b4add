"""The accessibility statement tells what the browser tests check; hold it to them (no browser needed)."""

from browsing import LANGUAGES
from page_types import PAGES

from ideapankki.config import LANGUAGES as SITE_LANGUAGES
from ideapankki.web.accessibility import AXE_PAGE_TYPES


def test_statement_counts_the_page_types_axe_checks():
    assert AXE_PAGE_TYPES == len(PAGES)
    assert LANGUAGES == SITE_LANGUAGES
