"""Helpers that use the site as a browser does: forms with their CSRF token, logging in."""

import re

from flask.testing import FlaskClient

PASSWORD = "kuusi sanaa kulkee kauas"


def post_form(client, url, data, follow=False):
    """GET the page for its CSRF token, then POST DATA to it."""
    token_match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(url).text)
    return client.post(url, data={**data, "csrf_token": token_match.group(1)}, follow_redirects=follow)


def log_in(client, email="maija@kajaani.fi", password=PASSWORD, remember=False, next_url=None):
    url = "/login" + (f"?next={next_url}" if next_url else "")
    data = {"email": email, "password": password}
    if remember:
        data["remember"] = "y"
    return post_form(client, url, data)


class ClosingClient(FlaskClient):
    """Closes every response, as a server does, so that work the app leaves for after the
    response (mail, see ideapankki.outbox) has run when the request returns."""

    def open(self, *args, buffered=True, **kwargs):
        return super().open(*args, buffered=buffered, **kwargs)
