"""The guard of tests/unit/conftest.py is on: a unit test gets no database and no app."""

import sqlite3

import flask
import pytest
import sqlalchemy as sa

from ideapankki import create_app

REFUSED = "unit tests use no database and no app"


def test_no_engine_no_sqlite_and_no_app_in_a_unit_test(tmp_path):
    with pytest.raises(AssertionError, match=REFUSED):
        sa.create_engine("sqlite://")
    with pytest.raises(AssertionError, match=REFUSED):
        sqlite3.connect(":memory:")
    with pytest.raises(AssertionError, match=REFUSED):
        flask.Flask(__name__)
    with pytest.raises(AssertionError, match=REFUSED):
        create_app({"TESTING": True, "INSTANCE_DIR": tmp_path, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
                    "SECRET_KEY": "test-secret"})


@pytest.fixture
def engine_in_a_fixture():
    return sa.create_engine("sqlite://")


def test_the_guard_covers_fixtures_too(request):
    with pytest.raises(AssertionError, match=REFUSED):
        request.getfixturevalue("engine_in_a_fixture")
