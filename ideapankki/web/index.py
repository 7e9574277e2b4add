"""The web layer's search index: one SearchIndex per app, over the app's engine."""

from __future__ import annotations

from flask import Flask, current_app

from ..search import SearchIndex, open_index
from .database import ENGINE_KEY

SEARCH_KEY = "ideapankki.search"


def init_app(app: Flask) -> None:
    """After database.init_app: the index reads the published entries through the app's engine."""
    app.extensions[SEARCH_KEY] = open_index(app.config, app.extensions[ENGINE_KEY])


def search_index(app: Flask | None = None) -> SearchIndex:
    """Return the app's search index (the current app's by default)."""
    return (app or current_app).extensions[SEARCH_KEY]
