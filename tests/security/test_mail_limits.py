"""Mail asked for by people who are not logged in is limited per address and per client, in the
database, so the limits hold across workers; reaching one tells nothing about accounts."""

import re
import threading
from datetime import timedelta

import pytest
from sqlmodel import Session

from ideapankki import accounts, create_app, limits
from ideapankki.db import writing
from ideapankki.models import Role, utcnow
from ideapankki.web.database import ENGINE_KEY
from ideapankki import close_app

from clients import PASSWORD, ClosingClient
from loopback_mail import smtp_inbox


def _check(engine, address, client, now=None, **limit):
    with Session(writing(engine)) as session:
        try:
            limits.check_mail_rate(session, address, client, now=now, **limit)
        except limits.TooManyMails as exc:
            session.rollback()
            return exc
        session.commit()
        return None


def test_per_address_and_per_client_in_a_window(engine):
    now = utcnow()
    for n in range(3):
        assert _check(engine, "maija@kajaani.fi", f"10.0.0.{n}", now, per_address=3, per_client=5) is None
    refused = _check(engine, "MAIJA@kajaani.fi ", "10.0.0.9", now + timedelta(minutes=10), per_address=3,
                     per_client=5)
    assert refused.scope == "address" and 50 * 60 <= refused.retry_after <= 50 * 60 + 1
    assert _check(engine, "maija@kajaani.fi", "10.0.0.9", now + timedelta(hours=1, seconds=1),
                  per_address=3, per_client=5) is None  # the window has moved on
    for n in range(5):
        assert _check(engine, f"m{n}@kajaani.fi", "192.0.2.1", now, per_address=3, per_client=5) is None
    assert _check(engine, "uusi@kajaani.fi", "192.0.2.1", now, per_address=3, per_client=5).scope == "client"


def test_concurrent_requests_never_pass_the_limit(engine):
    refused = []

    def ask():
        refused.append(_check(engine, "maija@kajaani.fi", "198.51.100.1", per_address=4, per_client=100))

    threads = [threading.Thread(target=ask) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(r is None for r in refused) == 4 and len(refused) == 10


@pytest.fixture
def two_workers(tmp_path, databases):
    """Two apps on one database, as two gunicorn workers are, with mail to a loopback server."""
    url = databases.fresh()
    apps = [create_app({"TESTING": True, "INSTANCE_DIR": tmp_path / "instance", "DATABASE_URL": url,
                        "SECRET_KEY": "test-secret"}) for _ in range(2)]
    for app in apps:
        app.test_client_class = ClosingClient
    with smtp_inbox(apps[0], tmp_path / "mail") as box:
        apps[1].config["MAIL_SETTINGS"] = apps[0].config["MAIL_SETTINGS"]
        with Session(apps[0].extensions[ENGINE_KEY]) as session:
            accounts.add_user(session, email="maija@kajaani.fi", role=Role.member, password=PASSWORD)
            session.commit()
        yield apps, box
    for app in apps:
        close_app(app)


def _post(client, path, data, address="203.0.113.5"):
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(path).text).group(1)
    return client.post(path, data={**data, "csrf_token": token}, environ_base={"REMOTE_ADDR": address})


def test_the_reset_limit_per_address_holds_across_workers_and_says_when(two_workers):
    apps, box = two_workers
    clients = [app.test_client() for app in apps]
    for n in range(limits.MAILS_PER_ADDRESS):
        assert _post(clients[n % 2], "/reset", {"email": "maija@kajaani.fi"}, f"203.0.113.{n}").status_code == 200
    refused = _post(clients[1], "/reset", {"email": "maija@kajaani.fi"}, "203.0.113.99")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 3500
    assert "Liian monta sähköpostipyyntöä" in refused.text
    assert len(box.messages) == limits.MAILS_PER_ADDRESS


def test_an_address_without_an_account_reaches_the_limit_alike(two_workers):
    apps, _box = two_workers
    client = apps[0].test_client()
    answers = {}
    for email in ("maija@kajaani.fi", "nobody@kajaani.fi"):
        for n in range(limits.MAILS_PER_ADDRESS):
            _post(client, "/reset", {"email": email}, f"198.51.100.{n}")
        answers[email] = _post(client, "/reset", {"email": email}, "198.51.100.99").status_code
    assert answers == {"maija@kajaani.fi": 429, "nobody@kajaani.fi": 429}


def test_the_per_client_limit_covers_registration_and_reset_and_keeps_the_form(two_workers):
    apps, box = two_workers
    clients = [app.test_client() for app in apps]
    for n in range(limits.MAILS_PER_CLIENT):
        path, data = ("/reset", {"email": f"r{n}@kajaani.fi"}) if n % 2 else (
            "/register", {"name": "Matti", "email": f"m{n}@kajaani.fi", "municipality": "205",
                          "password": PASSWORD, "confirm": PASSWORD})
        assert _post(clients[n % 2], path, data).status_code == 200
    refused = _post(clients[0], "/register", {"name": "Matti Virtanen", "email": "uusi@kajaani.fi",
                                              "municipality": "205", "password": PASSWORD, "confirm": PASSWORD})
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert 'value="uusi@kajaani.fi"' in refused.text and 'value="Matti Virtanen"' in refused.text
    with Session(apps[0].extensions[ENGINE_KEY]) as session:
        assert accounts.get_by_email(session, "uusi@kajaani.fi") is None  # nothing half-done
    assert _post(clients[0], "/reset", {"email": "x@kajaani.fi"}, "203.0.113.200").status_code == 200  # others may
    assert len(box.messages) == limits.MAILS_PER_CLIENT // 2  # registrations only: the resets had no account
