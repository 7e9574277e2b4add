"""Ideapankki – the idea bank of Finnish municipal experimentation."""

from __future__ import annotations

from flask import Flask

from .config import STATIC_DIR, TEMPLATES_DIR, build_config


def create_app(config: dict | None = None) -> Flask:
    """Build the Flask application: configuration, database and web layer."""
    from .web.public_url import App  # Flask, with absolute links from the public URL

    app = App(__name__, template_folder=str(TEMPLATES_DIR), static_folder=str(STATIC_DIR))
    app.config.update(build_config(config))

    from . import web

    web.init_app(app)
    return app
