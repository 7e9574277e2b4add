"""The site's app inside a command (`ideapankki moderator-digest`…): its settings, its migrated
database, and a request context, so mail is built as the site builds it (translations, public URL)."""

from __future__ import annotations

from contextlib import contextmanager

import click


@contextmanager
def site_app():
    """Yield the configured app in a request context; a configuration error is the command's error."""
    from .. import close_app, create_app, migrate
    from ..config import ConfigError
    from .database import engine

    try:
        app = create_app()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        migrate.init_database(engine(app))
        # the public URL as the request's: a Host outside TRUSTED_HOSTS would leave no URL adapter
        with app.test_request_context("/", base_url=app.config["PUBLIC_URL"]):
            yield app
    finally:
        close_app(app)
