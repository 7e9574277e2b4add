"""The web layer: request-scoped database session, i18n, security extensions, blueprints."""

from __future__ import annotations

import logging

from flask import Flask, g
from flask_babel import Babel, lazy_gettext as _l
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import event
from sqlmodel import Session

from ..db import create_db_engine, writing
from ..search import SearchIndex

ENGINE_KEY = "ideapankki.engine"
SEARCH_KEY = "ideapankki.search"
READS_FIRST = "ideapankki_reads_first"  # attribute of a view function (reads_first)
READ_PHASE = "ideapankki.read_phase"  # session.info: a reads_first request has not begun writing

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
    (see ideapankki.db); reading requests never hold the write lock. A writing view marked
    `reads_first` starts reading, without the lock, until it calls begin_writes().
    """
    if "db" not in g:
        from flask import current_app, has_request_context, request

        engine = current_app.extensions[ENGINE_KEY]
        info = {}
        if has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS"):
            if getattr(current_app.view_functions.get(request.endpoint), READS_FIRST, False):
                info[READ_PHASE] = True
            else:
                engine = writing(engine)
        g.db = Session(engine, expire_on_commit=False, info=info)
    return g.db


def reads_first(view):
    """Mark a writing VIEW that has work to do before it writes (the account, the form, rendering):
    its request holds no write lock until the view calls begin_writes(), so writers queue only for
    the writing itself. Whatever the writes depend on must be read after that call."""
    setattr(view, READS_FIRST, True)
    return view


def begin_writes() -> Session:
    """End the request's read phase (if any): its transaction ends, the next one holds the write lock
    (SQLite BEGIN IMMEDIATE), and every object read so far is expired, so what the writes rely on
    (the account's role, its session token) is read again under the lock."""
    session = db_session()
    if session.info.pop(READ_PHASE, False):
        session.rollback()  # nothing was written (_no_writes_while_reading); rollback also expires all
        session.bind = writing(session.bind)
    return session


@event.listens_for(Session, "before_flush")
def _no_writes_while_reading(session: Session, _context, _instances) -> None:
    if session.info.get(READ_PHASE) and (session.new or session.dirty or session.deleted):
        raise RuntimeError("a reads_first view wrote before begin_writes(): it would write without the lock")


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

    Entries changed in this request are applied to the search index once the response has gone
    out (in-process; a search in between catches up itself, see SearchIndex.refresh_if_behind);
    should this process die first, the next catch-up applies them. Mail queued in the
    transaction goes out once it has committed.
    """
    session = g.get("db")
    if session is not None and response.status_code < 400:
        session.commit()
        deliver_after_response(session, response)
        if session.info.pop("entries_changed", False):
            response.call_on_close(_catch_up(search_index()))
    return response


def _catch_up(index: SearchIndex):
    """A callable for Response.call_on_close: apply the change log to INDEX, logging rather than raising."""
    def run() -> None:
        try:
            index.catch_up(wait=False)
        except Exception:  # noqa: BLE001 - the write is safe in the database and the log
            log.exception("search index catch-up failed; it will be retried")
    return run


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
    from . import fast_path, proxy, public_url
    # unknown hosts get 400 before Flask; the fast path, outside, holds pages only of hosts that passed
    public_url.init_app(app)
    fast_path.init_app(app)  # inside ProxyFix: the environ is fixed before the fast path makes its key
    proxy.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    from . import page_cache
    page_cache.init_app(app)  # last: its after_request must see the view's own response first
