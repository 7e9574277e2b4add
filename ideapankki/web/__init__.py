"""The web layer: request-scoped database session, i18n, security extensions, blueprints."""

from __future__ import annotations

import logging

from flask import Flask, g
from flask_babel import Babel, lazy_gettext as _l
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from sqlmodel import Session

from ..db import create_db_engine, writing
from ..search import SearchIndex

ENGINE_KEY = "ideapankki.engine"
SEARCH_KEY = "ideapankki.search"

log = logging.getLogger(__name__)

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Log in to see this page.")
login_manager.session_protection = "basic"


def db_session() -> Session:
    """Return this request's database session, opening it on first use.

    Requests other than GET, HEAD and OPTIONS write: their transaction begins IMMEDIATE
    (see ideapankki.db); reading requests never hold the write lock.
    """
    if "db" not in g:
        from flask import current_app, has_request_context, request

        engine = current_app.extensions[ENGINE_KEY]
        if has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS"):
            engine = writing(engine)
        g.db = Session(engine, expire_on_commit=False)
    return g.db


def close_app(app: Flask, timeout: float = 30.0) -> None:
    """Let the app's background work end (an index rebuild started by a request), then close its
    database connections. Disposing first would pull the connection from under the rebuild."""
    index = app.extensions.get(SEARCH_KEY)
    if index is not None:
        index.healer.wait(timeout)
    app.extensions[ENGINE_KEY].dispose()


def search_index() -> SearchIndex:
    """Return the app's search index."""
    from flask import current_app

    return current_app.extensions[SEARCH_KEY]


def _commit_session(response):
    """Commit the request's work before the response leaves, so a failed commit is a 500, not a lie.

    Entries changed in this request are applied to the search index right after the commit
    (in-process); should this process die first, the next catch-up applies them. Mail queued in
    the transaction goes out once it has committed.
    """
    session = g.get("db")
    if session is not None and response.status_code < 400:
        session.commit()
        deliver_after_response(session, response)
        if session.info.pop("entries_changed", False):
            try:
                search_index().catch_up(wait=False)
            except Exception:  # noqa: BLE001 - the write is safe in the database and the log
                log.exception("search index catch-up failed; it will be retried")
    return response


def deliver_after_response(session: Session, response) -> None:
    """Send the mail this request's committed transaction queued, after the response has gone out
    (the server closes it): the reader waits for no SMTP server, and an answer takes as long
    whether or not it mailed someone (a reset for an unknown address)."""
    from flask import current_app

    from .. import outbox
    from .notify import mail_settings

    ids = outbox.take_queued(session)
    if ids:
        response.call_on_close(outbox.deliver_after_response(current_app.extensions[ENGINE_KEY], mail_settings(), ids))


def _close_session(_exc):
    session = g.pop("db", None)
    if session is not None:
        session.rollback()
        session.close()


def init_app(app: Flask) -> None:
    """Attach the engine, extensions, blueprints and template helpers to APP."""
    from . import admin, api, auth, downloads, errors, i18n, moderate, norm_status, public, search, submit, templating
    from . import login_link, params, stats

    engine = create_db_engine(app.config["DATABASE_URL"])
    app.extensions[ENGINE_KEY] = engine
    app.extensions[SEARCH_KEY] = SearchIndex(app.config["INSTANCE_DIR"] / "search", engine,
                                             app.config.get("SEARCH_FINNISH"))
    from . import access_log
    access_log.init_app(app)  # before _commit_session: its line then shows the status after the commit
    app.after_request(_commit_session)
    app.teardown_appcontext(_close_session)

    babel.init_app(app, locale_selector=i18n.select_locale)
    csrf.init_app(app)
    login_manager.init_app(app)

    params.init_app(app)  # before the first route: it bounds the routes' <int:…> parts
    app.register_blueprint(i18n.bp)
    app.register_blueprint(public.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(login_link.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(submit.bp)
    app.register_blueprint(moderate.bp)
    app.register_blueprint(downloads.bp)
    app.register_blueprint(norm_status.bp)
    app.register_blueprint(stats.bp)
    csrf.exempt(api.bp)
    from . import citation, crawl, feeds, programmes, programmes_api
    feeds.init_app(app)
    programmes.init_app(app)
    app.register_blueprint(programmes_api.bp)
    citation.init_app(app)
    app.register_blueprint(crawl.bp)
    from . import health
    app.register_blueprint(health.bp)
    from . import accessibility, security_headers
    app.register_blueprint(accessibility.bp)
    security_headers.init_app(app)
    from . import proxy, public_url
    public_url.init_app(app)  # unknown hosts get 400 before Flask
    proxy.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    from . import http_cache
    http_cache.init_app(app)  # last: its after_request must see the view's own response first
