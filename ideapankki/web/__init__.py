"""The web layer: request-scoped database session, i18n, security extensions, blueprints."""

from __future__ import annotations

from flask import Flask, g
from flask_babel import Babel
from flask_wtf.csrf import CSRFProtect
from sqlmodel import Session

from ..db import create_db_engine

ENGINE_KEY = "ideapankki.engine"

babel = Babel()
csrf = CSRFProtect()


def db_session() -> Session:
    """Return this request's database session, opening it on first use."""
    if "db" not in g:
        from flask import current_app

        g.db = Session(current_app.extensions[ENGINE_KEY], expire_on_commit=False)
    return g.db


def _commit_session(response):
    """Commit the request's work before the response leaves, so a failed commit is a 500, not a lie."""
    session = g.get("db")
    if session is not None and response.status_code < 400:
        session.commit()
    return response


def _close_session(_exc):
    session = g.pop("db", None)
    if session is not None:
        session.rollback()
        session.close()


def init_app(app: Flask) -> None:
    """Attach the engine, extensions, blueprints and template helpers to APP."""
    from . import errors, i18n, public, templating

    app.extensions[ENGINE_KEY] = create_db_engine(app.config["DATABASE_URL"])
    app.after_request(_commit_session)
    app.teardown_appcontext(_close_session)

    babel.init_app(app, locale_selector=i18n.select_locale)
    csrf.init_app(app)

    app.register_blueprint(i18n.bp)
    app.register_blueprint(public.bp)
    errors.init_app(app)
    templating.init_app(app)
