"""A new entry's request reads and renders before it takes the write lock (web/database.py
reads_first), and still re-reads under the lock what its writes depend on."""

from __future__ import annotations

import re
import sqlite3
import time

import pytest
from sqlmodel import Session, select

from clients import log_in, post_form
from ideapankki.models import Entry, RateEvent, User
from ideapankki.web.database import READ_PHASE, begin_writes, db_session, engine

IDEA = {"title": "Kirjastoauto kiertää kylät", "summary": "Kirjastoauto kulkee kylissä kerran viikossa.",
        "body": "## Mitä\n\nKokeillaan.", "language": "fi", "municipalities": "Kajaani", "themes": ["tyollisyys"],
        "tags": "", "links": "", "origin": "", "do": "submit"}


@pytest.mark.sqlite_only("SQLite's database-wide write lock")
def test_a_form_with_errors_is_answered_while_another_writer_holds_the_lock(app, member):
    client = app.test_client()
    assert log_in(client).status_code == 302
    path = app.config["DATABASE_URL"].split("sqlite:///", 1)[1]
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another worker in the middle of its write
        started = time.monotonic()
        response = post_form(client, "/new/idea", {**IDEA, "municipalities": "Atlantis"})
        assert response.status_code == 400 and "Atlantis" in response.text
        assert time.monotonic() - started < 2  # no wait for the lock (the busy timeout is 5 s)
        other.execute("COMMIT")
        response = post_form(client, "/new/idea", IDEA)
        assert response.status_code == 302 and response.headers["Location"].endswith("/my")
    finally:
        other.close()


def test_what_the_read_phase_read_is_read_again_under_the_lock(app, member):
    with app.test_request_context("/new/idea", method="POST"):
        session = db_session()
        assert session.info.get(READ_PHASE)
        user = session.get(User, member.id)
        assert user.can_submit
        with Session(engine()) as other:  # an admin closes the account meanwhile
            other.get(User, member.id).is_active = False
            other.commit()
        assert begin_writes() is session and not session.info.get(READ_PHASE)
        assert not user.is_active and not user.can_submit


def test_a_write_before_begin_writes_is_refused(app, member):
    with app.test_request_context("/new/idea", method="POST"):
        session = db_session()
        session.add(RateEvent(key="test", at=member.created_at))
        with pytest.raises(RuntimeError, match="begin_writes"):
            session.flush()


def test_a_message_waits_once_however_often_a_client_posts_without_following(app, member):
    client = app.test_client()
    assert log_in(client).status_code == 302
    for n in range(3):
        response = post_form(client, "/new/idea", {**IDEA, "title": f"{IDEA['title']} {n}"})
        assert response.status_code == 302
    page = client.get("/my").text
    assert len(re.findall("Lähetetty tarkastettavaksi", page)) == 1
    with Session(engine(app)) as session:
        assert len(session.exec(select(Entry).where(Entry.author_id == member.id)).all()) == 3
