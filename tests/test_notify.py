"""`ideapankki notify` against a real SMTP server on loopback: subscribe → confirm → a published
change → the digest arrives once, with working unsubscribe links and headers; two runs at once
and a run killed with SIGKILL after its first send still deliver each mail exactly once."""

import asyncio
import collections
import re
import signal
import threading
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from ideapankki.models import Follower, OutboxMail, Subscription, utcnow
from ideapankki import mail, outbox

from clients import post_form
from loopback_mail import Inbox, smtp_inbox
from notify_world import cli_env, follow, notify_here, publish, record_norm_step, session_of, start_notify


@pytest.fixture
def site(app):
    return app


@pytest.fixture
def inbox(site, tmp_path):
    with smtp_inbox(site, tmp_path / "mail") as box:
        yield box


def _by_recipient(messages) -> collections.Counter:
    return collections.Counter(m["To"] for m in messages)


def test_subscribe_confirm_change_and_the_digest_arrives_once(site, inbox):
    client = site.test_client()
    publish(site, "kokeilu", type="norm", themes=["asuminen"])
    query = "/follow?kind=entry&value=kokeilu"
    post_form(client, query, {"kind": "entry", "value": "kokeilu", "email": "lukija@example.fi",
                              "frequency": "daily", "language": "en"})
    (confirmation,) = inbox.messages
    assert "List-Unsubscribe" not in confirmation  # not yet a follower
    link = re.search(r"http://localhost(/follow/confirm/\S+)", confirmation.get_body().get_content()).group(1)
    assert notify_here(site)["digests"] == 0  # nothing confirmed: nothing to send
    post_form(client, link, {})

    record_norm_step(site, "kokeilu")  # a published change to what is followed
    publish(site, "muu", themes=["asuminen"])  # not followed
    counts = notify_here(site)
    assert counts["digests"] == 1 and counts["sent"] == 1 and counts["waiting"] == 0
    assert notify_here(site)["digests"] == 0  # once
    digest = inbox.messages[-1]
    assert len(inbox.messages) == 2 and digest["To"] == "lukija@example.fi"
    assert digest["Subject"] == "Ideapankki: Otsikko kokeilu"
    body = digest.get_body().get_content()
    assert "Norm proposal status changed" in body and "Tiivistelmä." in body and "Otsikko muu" not in body
    assert "http://localhost/entries/kokeilu" in body

    unsubscribe = re.search(r"<http://localhost(/follow/unsubscribe/[^>]+)>", digest["List-Unsubscribe"]).group(1)
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    raw = bytes(mail.build_message(site.config["MAIL_SETTINGS"], digest["To"], "s", "b",
                                   {"List-Unsubscribe": digest["List-Unsubscribe"]}))
    assert f"\nList-Unsubscribe: <http://localhost{unsubscribe}>".encode() in raw  # one line, not an encoded word
    assert f"http://localhost{unsubscribe}" in body
    manage = re.search(r"http://localhost(/follow/manage/\S+)", body).group(1)
    assert "Otsikko kokeilu" in client.get(manage).text
    # A mail client's one-click POST (RFC 8058): no cookie, no CSRF token.
    assert site.test_client().post(unsubscribe, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    with session_of(site) as session:
        assert session.exec(select(Follower)).all() == [] and session.exec(select(Subscription)).all() == []
        assert session.exec(select(sa.func.count()).select_from(OutboxMail)).one() == 0


def test_one_digest_per_period_however_many_things_are_followed(site, inbox):
    publish(site, "a", themes=["asuminen"])
    follower = follow(site, "viikko@example.fi", "theme", "asuminen", frequency="weekly")
    with session_of(site) as session:
        from ideapankki import following
        following.subscribe(session, "viikko@example.fi", "all", "", "weekly", "fi", confirmed=True)
        session.commit()
    publish(site, "b", themes=["asuminen"])
    publish(site, "c")
    assert notify_here(site)["digests"] == 1
    (digest,) = inbox.messages
    body = digest.get_body().get_content()
    assert "Otsikko b" in body and "Otsikko c" in body and body.count("Otsikko b") == 1
    assert "2" in digest["Subject"]
    publish(site, "d")
    assert notify_here(site)["digests"] == 0  # the week is not over
    with session_of(site) as session:
        session.exec(sa.update(Follower).values(last_sent_at=utcnow() - timedelta(days=7, minutes=1)))
        session.commit()
    assert notify_here(site)["digests"] == 1
    assert "Otsikko d" in inbox.messages[-1].get_body().get_content()
    assert follower.email == "viikko@example.fi"


def test_limits_per_run_and_per_address_a_day(site, inbox):
    for number in range(3):
        follow(site, f"f{number}@example.fi")
    publish(site, "a")
    counts = notify_here(site, limit=2)
    assert (counts["digests"], counts["left"]) == (2, 1)
    assert notify_here(site)["digests"] == 1
    site.config["NOTIFY_PER_ADDRESS_DAY"] = 1
    publish(site, "b")
    assert notify_here(site)["digests"] == 0  # each had its one mail today; b waits for tomorrow
    assert len(inbox.messages) == 3


class SlowInbox(Inbox):
    """Takes a while over each message, so that two runs overlap."""

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        await asyncio.sleep(0.01)
        return await super().handle_DATA(server, session, envelope)


def test_two_runs_at_once_send_each_mail_exactly_once(site, tmp_path):
    with smtp_inbox(site, tmp_path / "mail", SlowInbox()) as box:
        for number in range(20):
            follow(site, f"f{number}@example.fi")
        notify_here(site)  # the cursors start here
        publish(site, "uusi")
        env = cli_env(site, site.config["MAIL_SETTINGS"].port)
        runs = [start_notify(env), start_notify(env)]
        outputs = [run.communicate(timeout=120)[0] for run in runs]
        assert [run.returncode for run in runs] == [0, 0], outputs
        assert _by_recipient(box.messages) == {f"f{n}@example.fi": 1 for n in range(20)}
        with session_of(site) as session:
            assert session.exec(select(sa.func.count()).select_from(OutboxMail)).one() == 0


class StallingInbox(Inbox):
    """Accepts the first message, then holds the next one at MAIL FROM until released."""

    def __init__(self):
        super().__init__()
        self.stalled, self.release = threading.Event(), threading.Event()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802
        if self.messages and not self.release.is_set():
            self.stalled.set()
            while not self.release.is_set():
                await asyncio.sleep(0.01)
            return "421 closing"
        envelope.mail_from = address
        return "250 OK"


def test_a_run_killed_after_its_first_send_loses_none_and_duplicates_none(site, tmp_path):
    with smtp_inbox(site, tmp_path / "mail", StallingInbox()) as box:
        for number in range(5):
            follow(site, f"f{number}@example.fi")
        notify_here(site)
        publish(site, "uusi")
        run = start_notify(cli_env(site, site.config["MAIL_SETTINGS"].port))
        assert box.stalled.wait(60), run.communicate(timeout=5)[0] if run.poll() is not None else "no send"
        assert len(box.messages) == 1
        run.send_signal(signal.SIGKILL)  # mid-run: one sent, one being sent, three planned
        run.communicate(timeout=30)  # reaped, its pipe closed
        box.release.set()
        counts = notify_here(site)  # the unclaimed three go; the claimed one waits for its lease
        assert counts["sent"] == 3 and counts["waiting"] == 1
        with session_of(site) as session:  # the lease of the killed run passes
            session.exec(sa.update(OutboxMail).values(claimed_at=utcnow() - outbox.CLAIM_TIMEOUT - timedelta(seconds=1)))
            session.commit()
        assert notify_here(site)["sent"] == 1
        time.sleep(0.1)
        assert _by_recipient(box.messages) == {f"f{n}@example.fi": 1 for n in range(5)}
