"""Registration, log-in and password reset tell nobody whether an address has an account:
not by the page, not by the status, and not by the time the answer takes."""

import functools
import re
import statistics
import time

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from ideapankki import accounts, create_app
from ideapankki.models import Role, User, utcnow
from ideapankki.web.database import ENGINE_KEY
from ideapankki import close_app

from clients import PASSWORD, ClosingClient
from loopback_mail import smtp_inbox

ROUNDS = 7


@functools.cache
def _password_hash(production: bool) -> str:
    """PASSWORD hashed at the cost the test runs at (production_hashing or not), once per process:
    the known accounts may share one hash (each log-in still verifies it at that cost); seven
    hashes at production cost were seconds of each timing test's set-up."""
    return accounts.PRODUCTION_HASHER.hash(PASSWORD) if production else accounts.hash_password(PASSWORD)


@pytest.fixture
def site(request, tmp_path, databases):
    app = create_app({"TESTING": True, "INSTANCE_DIR": tmp_path / "instance", "DATABASE_URL": databases.fresh(),
                      "SECRET_KEY": "test-secret", "MAILS_PER_CLIENT": 1000})
    with smtp_inbox(app, tmp_path / "mail") as box, Session(app.extensions[ENGINE_KEY],
                                                            expire_on_commit=False) as session:
        org = accounts.find_or_create_organisation(session, "Kajaani")
        password_hash = _password_hash("production_hashing" in request.fixturenames)
        for n in range(ROUNDS):
            session.add(User(email=f"known{n}@kajaani.fi", name=f"Tunnettu {n}", password_hash=password_hash,
                             role=Role.member.value, organisation_id=org.id, email_confirmed_at=utcnow(),
                             membership_approved_at=utcnow()))
        session.commit()
        yield app, box, session
    close_app(app)


def _token(client, path):
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(path).text).group(1)


def _registration(email, password=PASSWORD):
    return {"name": "Matti Virtanen", "email": email, "municipality": "205", "password": password,
            "confirm": password}


FORMS = {
    "/register": _registration,
    "/reset": lambda email: {"email": email},
    "/login": lambda email: {"email": email, "password": "väärä salasana joka kerta"},
}


@pytest.mark.parametrize("path", list(FORMS))
def test_the_answer_is_the_same_for_a_known_and_an_unknown_address(site, path):
    app, _box, _session = site
    app.test_client_class = ClosingClient
    client = app.test_client()
    token = _token(client, path)
    answers = []
    for email in ("known0@kajaani.fi", "uusi0@kajaani.fi"):
        response = client.post(path, data={**FORMS[path](email), "csrf_token": token})
        # The form's new CSRF token carries the second it was signed: it may differ, by design.
        page = re.sub(r'(name="csrf_token"[^>]*value=")[^"]+', r"\1TOKEN", response.text.replace(email, "ADDRESS"))
        answers.append((response.status_code, page))
    assert answers[0] == answers[1]


def test_registering_a_taken_address_mails_its_owner_and_changes_nothing(site):
    app, box, session = site
    app.test_client_class = ClosingClient
    client = app.test_client()
    response = client.post("/register", data={**_registration("Known0@kajaani.fi", "aivan toinen salalause"),
                                              "csrf_token": _token(client, "/register")})
    assert response.status_code == 200 and "Tarkista sähköpostisi" in response.text
    (message,) = box.messages
    assert message["To"] == "known0@kajaani.fi"
    assert message["Subject"] == "Joku yritti rekisteröityä osoitteellasi Ideapankkiin"
    body = message.get_body().get_content()
    assert "http://localhost/login" in body and "http://localhost/reset" in body and "/confirm/" not in body
    session.expire_all()
    (user,) = session.exec(select(User).where(User.email == "known0@kajaani.fi")).all()
    assert accounts.verify_password(user, PASSWORD)  # the stranger's password was not set


@pytest.mark.slow
@pytest.mark.sqlite_only("the time counted is this process's CPU, and PostgreSQL runs its queries in the "
                         "server's process: its run measured SQLite's with the queries left out; the answers' "
                         "text and status are test_the_answer_is_the_same_for_a_known_and_an_unknown_address's, "
                         "on both")
@pytest.mark.parametrize("path", list(FORMS))
def test_the_answer_takes_as_long_for_a_known_and_an_unknown_address(production_hashing, site, path):
    """Medians of interleaved requests, timed until the response is made (as a client sees it:
    mail goes out after the response, when the server closes it). At the production argon2
    cost: a skipped password check is then most of the answer's time, not a millisecond.

    Timed in this process's CPU time (argon2's threads included), not on the wall clock: what
    would tell an address apart is work one answer does and the other does not, and CPU time
    counts exactly that, whatever else the machine runs (the wall clock lost that race once
    in CI, with the other test worker busy)."""
    app, _box, _session = site
    client = FlaskClient(app, app.response_class, use_cookies=True)
    token = _token(client, path)
    times = {"known": [], "unknown": []}
    for n in range(ROUNDS):
        for kind in ("known", "unknown"):
            data = {**FORMS[path](f"{kind}{n}@kajaani.fi" if kind == "known" else f"new{n}@kajaani.fi"),
                    "csrf_token": token}
            started = time.process_time()
            response = client.post(path, data=data)
            times[kind].append(time.process_time() - started)
            response.close()  # as a server does, after the client has its answer
            assert response.status_code == 200, (path, kind, response.status_code)
    known, unknown = statistics.median(times["known"]), statistics.median(times["unknown"])
    assert abs(known - unknown) <= 0.4 * max(known, unknown) + 0.015, (path, times)
