"""The Flask extensions: translations (Babel), CSRF on every form, and log-in sessions."""

from __future__ import annotations

from flask import Flask, current_app, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_babel import Babel, lazy_gettext as _l
from flask.globals import _cv_app, _cv_request
from flask_login import LoginManager, login_user, user_accessed
from flask_login.utils import _get_user, _user_context_processor
from flask_login.config import COOKIE_NAME
from flask_wtf.csrf import CSRFProtect

from .i18n import select_locale


class Logins(LoginManager):
    """Flask-Login's manager, without its session check's work for a reader who has no session:
    it hashed the reader's address and browser on every request and then skipped the check for
    an empty session (most requests are anonymous; the answer is the same)."""

    def _session_protection_failed(self) -> bool:
        if not session:
            return False
        return super()._session_protection_failed()

    def _load_user(self):
        """Flask-Login's, in fewer steps for a reader with an empty session and no remember-me cookie
        (most requests): the same signal, the same anonymous user, and the session marked read as
        its session.get("_user_id") marks it (the page then varies by Cookie). Anyone else, and any
        setup with a request or header loader, goes through Flask-Login's own."""
        context = _cv_request.get(None)
        if (context is None or context.session or self._user_callback is None or self._request_callback
                or self._header_callback
                or current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) in context.request.cookies):
            return super()._load_user()
        user_accessed.send(current_app._get_current_object())
        context.session.accessed = True
        return self._update_request_context_with_user()

    def _update_remember_cookie(self, response):
        """Nothing to set or clear for an empty session unless every request refreshes the cookie
        (what Flask-Login's hook finds out with three lookups of the session and one of the config)."""
        if not session and not current_app.config.get("REMEMBER_COOKIE_REFRESH_EACH_REQUEST"):
            return response
        return super()._update_remember_cookie(response)


class Csrf(CSRFProtect):
    """Flask-WTF's CSRF protection, asking the method first: a GET, HEAD or OPTIONS (most requests)
    has no token to check, and the blueprint and view exemptions, looked up first, change nothing."""

    def protect(self, apply_exemptions=False):
        if apply_exemptions and request.method not in current_app.config["WTF_CSRF_METHODS"]:
            return None
        return super().protect(apply_exemptions)


babel = Babel()
csrf = Csrf()
login_manager = Logins()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Log in to see this page.")
login_manager.session_protection = "basic"


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, without their work for a reader who has no session: no signing
    serializer is built to read an absent cookie, and an empty session that nothing changed is not
    prepared for a cookie it will not set (most requests are anonymous; the answer is the same)."""

    def open_session(self, app: Flask, request):
        cookies, name = request.cookies, self.get_cookie_name(app)
        if app.secret_key and not (name in cookies and cookies[name]):  # not .get: an exception per miss
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session, response) -> None:
        if not session and not session.modified:
            if session.accessed and not _varies_by_cookie(response.headers):  # an anonymous page has it already
                response.vary.add("Cookie")
            return
        super().save_session(app, session, response)


def _varies_by_cookie(headers) -> bool:
    """Whether the first Vary header (the one response.vary reads) names Cookie: vary.add would
    change nothing then, only parse the header and look it up."""
    for name, value in headers.items():
        if name.lower() == "vary":
            return '"' not in value and any(part.strip().lower() == "cookie" for part in value.split(","))
    return False


def current_reader():
    """flask_login.current_user's object (what _get_user returns): the user this request loaded, read
    from g directly once it is there, without the proxy and _get_user's three lookups of g and the app."""
    if _cv_request.get(None) is not None:
        user = _cv_app.get().g.__dict__.get("_login_user")  # Flask-Login's place; never None once loaded
        if user is not None:
            return user
    return _get_user()


def _reader_context() -> dict:
    """Flask-Login's context processor (current_user for the templates) through current_reader."""
    return {"current_user": current_reader()}


def init_app(app: Flask) -> None:
    app.session_interface = CookieSessions()
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    login_manager.init_app(app)
    processors = app.template_context_processors[None]
    if _user_context_processor in processors:  # the same name and object, in the same place
        processors[processors.index(_user_context_processor)] = _reader_context


def start_session(user, remember: bool) -> None:
    """Log USER in with a fresh session: nothing from before (a planted session id, an old CSRF
    token) carries over."""
    session.clear()
    login_user(user, remember=remember)
