"""Mail goes out exactly when its change is kept: queued in the transaction, sent after the commit."""

import logging
import threading

import sqlalchemy as sa
from sqlmodel import Session, select

from ideapankki import outbox
from ideapankki.db import writing
from ideapankki.models import OutboxMail, Theme
from loopback_mail import Inbox, free_port, mail_settings, smtp_inbox


class _App:
    """smtp_inbox wants something with a config; domain tests have no Flask app."""

    def __init__(self):
        self.config = {}


def _committed(engine, *recipients, subject="Aihe", body="Teksti", extra=None):
    """Queue a message to each of RECIPIENTS (and add EXTRA) in one committed transaction; their ids."""
    with Session(writing(engine)) as session:
        if extra is not None:
            session.add(extra)
        for to in recipients:
            outbox.queue(session, to, subject, body)
        session.commit()
        return outbox.take_queued(session)


def _waiting(engine):
    with Session(engine) as session:
        return session.exec(select(OutboxMail)).all()


def test_a_rolled_back_transaction_sends_nothing(engine, tmp_path):
    holder = _App()
    with smtp_inbox(holder, tmp_path) as box:
        with Session(writing(engine)) as session:
            outbox.queue(session, "maija@kajaani.fi", "Aihe", "Teksti")
            session.rollback()
        assert outbox.deliver(engine, holder.config["MAIL_SETTINGS"]) == 0
    assert box.messages == [] and _waiting(engine) == []


def test_a_committed_message_is_sent_once_and_its_row_deleted(engine, tmp_path):
    holder = _App()
    with smtp_inbox(holder, tmp_path) as box:
        ids = _committed(engine, "maija@kajaani.fi", subject="Aihe\nrivi",
                         body="Linkki: https://ideapankki.example.fi/reset/x")
        settings = holder.config["MAIL_SETTINGS"]
        assert outbox.deliver(engine, settings, ids) == 1
        assert outbox.deliver(engine, settings, ids) == 0  # already sent: never twice
    (message,) = box.messages
    assert message["Subject"] == "Aihe rivi" and "reset/x" in message.get_body().get_content()
    assert _waiting(engine) == []  # the single-use link is not kept


def test_an_smtp_failure_keeps_the_change_and_the_message_for_a_retry(engine, tmp_path, caplog):
    down = mail_settings(free_port(), tmp_path)  # nothing listens there
    ids = _committed(engine, "maija@kajaani.fi", extra=Theme(slug="kokeilut", position=99))
    with caplog.at_level(logging.ERROR, logger="ideapankki.outbox"):
        assert outbox.deliver(engine, down, ids) == 0
    assert "not sent" in caplog.text
    (row,) = _waiting(engine)
    assert row.attempts == 1 and row.claimed_at is None and "Error" in row.last_error
    with Session(engine) as session:
        assert session.get(Theme, "kokeilut") is not None  # the change stays
    holder = _App()
    with smtp_inbox(holder, tmp_path) as box:
        assert outbox.deliver(engine, holder.config["MAIL_SETTINGS"]) == 1  # every waiting message
    assert [m["To"] for m in box.messages] == ["maija@kajaani.fi"] and _waiting(engine) == []


def test_two_processes_delivering_at_once_send_a_message_once(engine, tmp_path):
    holder = _App()
    with smtp_inbox(holder, tmp_path) as box:
        _committed(engine, *(f"m{n}@kajaani.fi" for n in range(6)))
        settings = holder.config["MAIL_SETTINGS"]
        threads = [threading.Thread(target=outbox.deliver, args=(engine, settings)) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert sorted(m["To"] for m in box.messages) == [f"m{n}@kajaani.fi" for n in range(6)]


class _LockProbe(Inbox):
    """While the SMTP server holds a message, another connection tries to write to the database."""

    def __init__(self, engine):
        super().__init__()
        self.engine, self.wrote = engine, []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with Session(writing(self.engine)) as other:
            other.exec(sa.update(Theme).where(Theme.slug == "tyollisyys").values(position=Theme.position + 100))
            other.commit()
            self.wrote.append(True)
        return await super().handle_DATA(server, session, envelope)


def test_no_write_lock_is_held_while_the_smtp_server_talks(engine, tmp_path):
    probe = _LockProbe(engine)
    holder = _App()
    with smtp_inbox(holder, tmp_path, probe):
        ids = _committed(engine, "maija@kajaani.fi")
        assert outbox.deliver(engine, holder.config["MAIL_SETTINGS"], ids) == 1
    assert probe.wrote == [True] and len(probe.messages) == 1


def test_the_operator_sends_what_waits_with_send_mail(tmp_path, monkeypatch, databases):
    """On a copy of the migrated template, not a migration from nothing by `init` (~2 s; init on an
    empty database is tests/test_cli.py's)."""
    from click.testing import CliRunner

    from ideapankki import config
    from ideapankki.cli import main
    from ideapankki.db import create_db_engine

    databases.for_instance(tmp_path / "instance", monkeypatch)
    runner = CliRunner()
    engine = create_db_engine(config.database_url(config.instance_dir()))
    try:
        _committed(engine, "maija@kajaani.fi")
        monkeypatch.setenv("IDEAPANKKI_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("IDEAPANKKI_SMTP_PORT", str(free_port()))  # down
        result = runner.invoke(main, ["send-mail"])
        assert result.exit_code == 1 and "Sent 0 messages; 1 still waiting." in result.output
        holder = _App()
        with smtp_inbox(holder, tmp_path) as box:
            monkeypatch.setenv("IDEAPANKKI_SMTP_PORT", str(holder.config["MAIL_SETTINGS"].port))
            result = runner.invoke(main, ["send-mail"])
        assert result.exit_code == 0 and "Sent 1 messages; 0 still waiting." in result.output
        assert [m["To"] for m in box.messages] == ["maija@kajaani.fi"]
    finally:
        engine.dispose()
