"""Open redirects (issue #13): the known tricks in ?next= never leave the site, and never a 500.

Each trick is written as an attacker puts it in a link (percent-encoded as sent). The site may
refuse the request (400) or redirect; a redirect must land on this host when a browser resolves
it: `lands_here` reads the Location the way the WHATWG URL parser does for what it accepts
(printable ASCII only, no backslash), so what Python's urljoin says is what the browser does.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest

from clients import PASSWORD, post_form
from ideapankki import accounts
from ideapankki.models import Role

SITE = "http://localhost/"
TRICKS = [
    # what the probe found: characters the browser drops (tab, newline, CR) between the slashes
    "/%09/evil.example", "/%0a/evil.example", "/%0d/evil.example", "/%0d%0a/evil.example", "%09//evil.example",
    "/%0a/x", "/%09%09/evil.example", "%20//evil.example", "%0c//evil.example", "%1f//evil.example",
    # scheme-relative and absolute
    "//evil.example", "///evil.example", "////evil.example", "https://evil.example", "http:evil.example",
    "http:/evil.example", "HTTPS://evil.example", "javascript:alert(1)", "data:text/html,x", "ftp://evil.example",
    # backslashes, which browsers read as slashes
    "/%5Cevil.example", "%5C%5Cevil.example", "/%5C/evil.example", "%5C/evil.example", "/%2F%5Cevil.example",
    "https:%5C%5Cevil.example", "/%09%5Cevil.example",
    # encoded slashes, once and twice
    "%2F%2Fevil.example", "/%2F/evil.example", "%2F%2F%2Fevil.example", "%252F%252Fevil.example",
    "/%252F/evil.example", "https%3A%2F%2Fevil.example",
    # user info and hosts that look like ours
    "//localhost@evil.example", "http://localhost@evil.example", "/@evil.example", "//evil.example%23@localhost",
    "//evil.example%2F@localhost", "http://evil.example%3F.localhost",
    # unicode lookalikes: fullwidth and other slashes, NFKC-folding schemes, invisible prefixes
    "/%EF%BC%8Fevil.example", "%EF%BC%8F%EF%BC%8Fevil.example", "/%EF%BC%BCevil.example",
    "%EF%BD%88%EF%BD%94%EF%BD%94%EF%BD%90%EF%BD%93://evil.example", "/%E2%88%95evil.example",
    "/%E2%81%84evil.example", "%E2%80%8B//evil.example", "%EF%BB%BF//evil.example", "/%E3%80%82evil.example",
    # NUL and other controls
    "/%00/evil.example", "%00//evil.example", "/%7F/evil.example",
]
KEPT = ["/entries?type=idea", "/entries/omavalmentaja#cite", "/search?q=kunta%20kokeilu&page=2", "/"]


def lands_here(location: str) -> bool:
    """Whether a browser following LOCATION from SITE stays on SITE's host."""
    if not location.isascii() or not location.isprintable() or " " in location or "\\" in location:
        return False
    target = urlsplit(urljoin(SITE, location))
    return (target.scheme, target.netloc) == ("http", "localhost") and location.startswith("/") \
        and not location.startswith("//")


@pytest.fixture
def client(module_client):
    """The language switch writes nothing: its tests share one app per module."""
    return module_client


@pytest.mark.parametrize("trick", TRICKS)
def test_language_switch_never_redirects_off_site(client, trick):
    response = client.get(f"/language/sv?next={trick}")
    assert response.status_code in (302, 400), response.status_code
    if response.status_code == 302:
        assert lands_here(response.headers["Location"]), response.headers["Location"]


@pytest.mark.parametrize("target", KEPT)
def test_paths_on_the_site_are_kept(client, target):
    response = client.get("/language/sv", query_string={"next": target})
    assert response.headers["Location"] == target


def test_log_in_never_redirects_off_site(app, app_session):
    """The same corpus after a successful log-in (one log-in per trick, a fresh client each)."""
    user = accounts.add_user(app_session, email="mod@kuntaliitto.fi", role=Role.moderator, password=PASSWORD)
    app_session.commit()
    for trick in TRICKS:
        client = app.test_client()
        response = client.get(f"/login?next={trick}")
        if response.status_code == 400:
            continue
        response = post_form(client, f"/login?next={trick}", {"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, (trick, response.status_code)
        assert lands_here(response.headers["Location"]), (trick, response.headers["Location"])
