"""Web-test fixtures: a real SMTP server on loopback whose messages the tests read."""

import json
import logging

import pytest

from clients import PASSWORD
from factories import make_entry
from ideapankki import accounts, create_app
from ideapankki.models import Role
from ideapankki import close_app
from loopback_mail import smtp_inbox


@pytest.fixture
def inbox(app, tmp_path):
    with smtp_inbox(app, tmp_path / "mail") as box:
        yield box


@pytest.fixture
def access_lines(caplog):
    """The access lines (as dicts) written since the last call."""
    caplog.set_level(logging.INFO, logger="ideapankki")

    def read():
        lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "ideapankki.access"]
        caplog.clear()
        return lines
    return read


@pytest.fixture
def another_worker(app):
    """Make another app on the same instance and database, as a second worker process is.

    Its engine is disposed after the test: an open PostgreSQL connection left to the garbage
    collector is a ResourceWarning, an error under filterwarnings.
    """
    made = []

    def make():
        other = create_app({key: app.config[key] for key in ("TESTING", "INSTANCE_DIR", "DATABASE_URL",
                                                             "SECRET_KEY", "PER_PAGE")})
        made.append(other)
        return other

    yield make
    for other in made:
        close_app(other)


@pytest.fixture
def member(app_session):
    """Maija, an approved member of Kajaani, with the tests' password."""
    org = accounts.find_or_create_organisation(app_session, "Kajaani")
    user = accounts.add_user(app_session, email="maija@kajaani.fi", role=Role.member, password=PASSWORD,
                             organisation=org)
    app_session.commit()
    return user


@pytest.fixture
def practice(app_session, member):
    """Kajaani's practice, written by Maija (the tests' member of Kajaani): the adoption pages' subject."""
    entry = make_entry(app_session, "omavalmentaja", title="Omavalmentaja", municipalities=["Kajaani"],
                       commit=False)
    entry.author_id, entry.organisation_id = member.id, member.organisation_id
    app_session.commit()
    return entry
