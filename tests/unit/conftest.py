"""Unit tests are unit tests: one that makes a database engine, opens SQLite or builds a Flask app fails.

docs/development.md promises that tests/unit needs no database; this keeps it true. The guard
is on while each unit test is set up and run (fixtures included); a test that needs a database
belongs in tests/db, one that needs the app in tests/web.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager

import flask
import pytest
from sqlalchemy.engine import Engine

WHERE = "unit tests use no database and no app (docs/development.md): move this test to tests/db or tests/web"


class NotAUnitTest(AssertionError):
    """A unit test reached for a database or a Flask app."""


def _refuse(what: str):
    def refused(*args, **kwargs):
        raise NotAUnitTest(f"{what} in a unit test: {WHERE}")
    return refused


@contextmanager
def no_database_and_no_app():
    """Make every SQLAlchemy engine, sqlite3 connection and Flask app raise NotAUnitTest meanwhile."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Engine, "__init__", _refuse("a SQLAlchemy engine"))
        patch.setattr(sqlite3, "connect", _refuse("sqlite3.connect"))
        patch.setattr(flask.Flask, "__init__", _refuse("a Flask app"))
        yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    with no_database_and_no_app():
        yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    with no_database_and_no_app():
        yield
