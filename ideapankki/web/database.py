"""The web layer's database: one engine per app, one session per request.

Reading requests (GET, HEAD, OPTIONS) never take the write lock; every other request's
transaction begins IMMEDIATE (see ideapankki.db). The request boundary commits (request_commit.py).
"""

from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy.engine import Engine
from sqlmodel import Session

from ..db import open_engine, writing

ENGINE_KEY = "ideapankki.engine"


def init_app(app: Flask) -> None:
    app.extensions[ENGINE_KEY] = open_engine(app.config)


def engine(app: Flask | None = None) -> Engine:
    """The app's engine (the current app's by default)."""
    return (app or current_app).extensions[ENGINE_KEY]


def db_session() -> Session:
    """Return this request's database session, opening it on first use."""
    if "db" not in g:
        bound = engine()
        if has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS"):
            bound = writing(bound)
        g.db = Session(bound, expire_on_commit=False)
    return g.db
