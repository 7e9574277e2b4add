"""Helpers that use the site as a browser does: forms with their CSRF token, logging in.

log_in goes through the log-in form (argon2, the throttle's rows, the redirect): for tests about
logging in. sign_in puts an account in the session directly: for every other test.
"""

import re

from flask import g
from flask.testing import FlaskClient
from sqlmodel import Session

from ideapankki import accounts
from ideapankki.web.database import ENGINE_KEY

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


def sign_in(client, email="maija@kajaani.fi"):
    """Log CLIENT in as EMAIL without the form, as the form would: a new session holding the account.

    Only an account the form would let in (active, e-mail confirmed), so a test arranged wrong
    still fails. The session keys are Flask-Login's (`_user_id` is User.get_id(), which carries
    the session token: a rotated token signs this client out as it would a browser).
    """
    with Session(client.application.extensions[ENGINE_KEY]) as session:
        user = accounts.get_by_email(session, email)
        assert user is not None and user.is_active and user.email_confirmed_at is not None, \
            f"{email} could not log in with the form"
        user_id = user.get_id()
    with client.session_transaction() as flask_session:
        flask_session.clear()
        flask_session["_user_id"], flask_session["_fresh"] = user_id, True
    return client


class ClosingClient(FlaskClient):
    """Closes every response, as a server does, so that work the app leaves for after the
    response (mail, see ideapankki.outbox) has run when the request returns."""

    def open(self, *args, buffered=True, **kwargs):
        return super().open(*args, buffered=buffered, **kwargs)


def sessions_opened(app) -> list:
    """A list that gets, for each request, whether it opened a database session (the readers'
    session-free paths: listings, municipality pages, anonymous search)."""
    seen = []

    @app.after_request
    def probe(response):
        seen.append("db" in g)
        return response

    return seen
