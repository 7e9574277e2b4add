"""Web-test fixtures: a real SMTP server on loopback whose messages the tests read."""

import json
import logging
import re
import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from ideapankki import accounts, create_app
from ideapankki.mail import MailSettings
from ideapankki.models import Role
from ideapankki.web import close_app

from clients import PASSWORD


class Inbox:
    """Collects what the loopback SMTP server receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 OK"

    def last_link(self) -> str:
        body = self.messages[-1].get_body().get_content()
        return re.search(r"http://localhost(/\S+)", body).group(1)


@pytest.fixture
def inbox(app, tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    box = Inbox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    app.config["MAIL_SETTINGS"] = MailSettings(host="127.0.0.1", port=port, username=None, password=None,
                                               starttls=False, sender="Ideapankki <noreply@ideapankki.test>",
                                               folder=tmp_path / "mail")
    yield box
    controller.stop()




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
