"""Ideapankki – the idea bank of Finnish municipal experimentation."""

from __future__ import annotations

from flask import Flask

from .config import STATIC_DIR, TEMPLATES_DIR, build_config


def create_app(config: dict | None = None) -> Flask:
    """The composition root: configuration, then each subsystem in the order it depends on the others."""
    from .web import (database, errors, extensions, index, notify, params, request_commit, serving, templating,
                      views)
    from .web.serving.public_url import App  # Flask, with absolute links from the public URL
    from .web.template_locale import LocaleEnvironment

    app = App(__name__, template_folder=str(TEMPLATES_DIR), static_folder=str(STATIC_DIR))
    app.jinja_environment = LocaleEnvironment  # templates compiled per language; before anything uses jinja_env
    app.config.update(build_config(config))
    database.init_app(app)  # the engine (SQLite file or PostgreSQL)
    index.init_app(app)  # the search index over that engine's published entries
    notify.init_app(app)  # mail: SMTP, or the instance's mail folder
    extensions.init_app(app)  # Babel, CSRF, Flask-Login
    serving.init_app(app)  # the access log: its after_request, registered first, runs last
    request_commit.init_app(app)  # commit at the request boundary, then mail and the index
    params.init_app(app)  # before the first route: it bounds the routes' <int:…> parts
    views.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    serving.wrap_app(app)  # headers, hosts, proxy; the validators' hook last
    return app


def close_app(app: Flask, timeout: float = 30.0) -> None:
    """Let the app's background work end (an index rebuild started by a request), then close its
    database connections. Disposing first would pull the connection from under the rebuild."""
    from .web import database, index

    index.search_index(app).healer.wait(timeout)
    database.engine(app).dispose()
