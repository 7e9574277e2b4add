"""The Flask extensions: translations (Babel), CSRF on every form, and log-in sessions."""

from __future__ import annotations

from flask import Flask, session
from flask_babel import Babel, lazy_gettext as _l
from flask_login import LoginManager, login_user
from flask_wtf.csrf import CSRFProtect

from .i18n import select_locale

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Log in to see this page.")
login_manager.session_protection = "basic"


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    login_manager.init_app(app)


def start_session(user, remember: bool) -> None:
    """Log USER in with a fresh session: nothing from before (a planted session id, an old CSRF
    token) carries over."""
    session.clear()
    login_user(user, remember=remember)
