"""Every response carries the Content-Security-Policy and the other security headers."""

from __future__ import annotations

import pytest

from ideapankki.web.serving.security_headers import CONTENT_SECURITY_POLICY

EXPECTED_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def test_the_policy_allows_nothing_inline():
    assert CONTENT_SECURITY_POLICY == EXPECTED_CSP
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY and "unsafe-eval" not in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("path, status", [
    ("/", 200), ("/search?q=kokeilu", 200), ("/login", 200), ("/accessibility", 200),
    ("/api/v1/entries", 200), ("/static/site.css", 200), ("/entries/no-such-entry", 404),
    ("/new/norm", 302),
])
def test_headers_on_every_kind_of_response(module_client, path, status):
    response = module_client.get(path)
    assert response.status_code == status
    assert response.headers["Content-Security-Policy"] == EXPECTED_CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    response.close()


def test_templates_hold_no_inline_script_style_or_handlers():
    """The policy would block them; keep them out of the templates in the first place."""
    import re

    from ideapankki.config import TEMPLATES_DIR

    inline = re.compile(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=|javascript:", re.IGNORECASE)
    found = [f"{path.relative_to(TEMPLATES_DIR)}: {m.group(0)}" for path in sorted(TEMPLATES_DIR.rglob("*.html"))
             for m in inline.finditer(path.read_text(encoding="utf-8"))]
    assert found == []
