"""A site with followers, a loopback SMTP server, and `ideapankki notify` run in-process or as a
real process (for the tests of runs at once and of a run killed mid-send)."""

import os
import subprocess
import sys
from datetime import date

from sqlmodel import Session

from ideapankki import following, normstatus
from ideapankki.models import EntryState
from ideapankki.web.database import ENGINE_KEY
from ideapankki.web.notify_command import run

from factories import make_entry, make_user
from ideapankki.models import Role


def notify_here(app, limit=None) -> dict:
    """One `notify` run in this process (the app's own mail settings)."""
    with app.test_request_context("/", base_url=app.config["PUBLIC_URL"]):
        return run(app, limit)


def session_of(app) -> Session:
    return Session(app.extensions[ENGINE_KEY], expire_on_commit=False)


def follow(app, email: str, kind: str = "all", value: str = "", frequency: str = "immediate", language: str = "fi"):
    """A confirmed follower (as a member following at their own address: no mail)."""
    with session_of(app) as session:
        follower, _subscription = following.subscribe(session, email, kind, value, frequency, language, confirmed=True)
        session.commit()
        return follower


def publish(app, slug: str, **fields):
    """A new published entry: one event for whoever follows it."""
    with session_of(app) as session:
        return make_entry(session, slug, **fields)


def record_norm_step(app, slug: str, moderator_email: str = "mod@kuntaliitto.fi"):
    """A norm proposal's step (an event); the moderator is made when missing."""
    from sqlmodel import select

    from ideapankki.models import Entry, User

    with session_of(app) as session:
        moderator = session.exec(select(User).where(User.email == moderator_email)).first() \
            or make_user(session, moderator_email, role=Role.moderator)
        entry = session.exec(select(Entry).where(Entry.slug == slug)).one()
        normstatus.record(session, entry, moderator, "sent_to_ministry", date(2026, 1, 15))
        session.commit()


def cli_env(app, smtp_port: int) -> dict:
    """The environment of an `ideapankki notify` process on APP's instance and database."""
    env = {**os.environ, "IDEAPANKKI_INSTANCE": str(app.config["INSTANCE_DIR"]),
           "IDEAPANKKI_DATABASE_URL": app.config["DATABASE_URL"], "IDEAPANKKI_SECRET_KEY": "test-secret",
           "IDEAPANKKI_PUBLIC_URL": "http://localhost", "IDEAPANKKI_SMTP_HOST": "127.0.0.1",
           "IDEAPANKKI_SMTP_PORT": str(smtp_port)}
    env.pop("IDEAPANKKI_SMTP_USERNAME", None)
    return env


def start_notify(env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ideapankki.cli", "notify"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


__all__ = ["EntryState", "notify_here", "session_of", "follow", "publish", "record_norm_step", "cli_env",
           "start_notify"]
