"""Accounts in the domain layer against a database: registration, approval, throttling across processes.

Password rules and hashing without a database are in tests/unit/test_passwords.py.
"""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from ideapankki import accounts, login
from ideapankki.models import LoginAttempt, Municipality, Organisation, Role, utcnow

GOOD_PASSWORD = "kuusi sanaa kulkee kauas"


@pytest.fixture
def kajaani(session):
    return accounts.municipality_organisation(session, session.get(Municipality, "205"))


def test_registration_keeps_the_address_normalised_and_only_a_hash(session, kajaani):
    user = accounts.register(session, email="Maija@Kajaani.fi", name="Maija", password=GOOD_PASSWORD,
                             organisation=kajaani)
    session.flush()
    assert user.email == "maija@kajaani.fi" and accounts.get_by_email(session, " MAIJA@kajaani.fi") is user
    assert user.password_hash.startswith("$argon2id$") and GOOD_PASSWORD not in user.password_hash
    assert accounts.verify_password(user, GOOD_PASSWORD) and not accounts.verify_password(user, "väärä salasana!")


def test_one_account_per_address(session, kajaani):
    accounts.register(session, email="a@kajaani.fi", name="A", password=GOOD_PASSWORD, organisation=kajaani)
    with pytest.raises(accounts.AccountError) as caught:
        accounts.register(session, email=" A@KAJAANI.FI ", name="A", password=GOOD_PASSWORD, organisation=kajaani)
    assert caught.value.code == "email_taken"


def test_confirmation_approves_automatically_only_for_the_trusted_domain(session, kajaani):
    kajaani.auto_approve_domain = "kajaani.fi"
    trusted = accounts.register(session, email="a@kajaani.fi", name="A", password=GOOD_PASSWORD, organisation=kajaani)
    other = accounts.register(session, email="b@gmail.com", name="B", password=GOOD_PASSWORD, organisation=kajaani)
    assert not trusted.can_submit
    accounts.confirm_email(session, trusted)
    accounts.confirm_email(session, other)
    assert trusted.can_submit and not other.can_submit
    assert accounts.pending_memberships(session) == [other]


def test_only_moderators_approve_memberships(session, kajaani):
    member = accounts.register(session, email="a@kajaani.fi", name="A", password=GOOD_PASSWORD, organisation=kajaani)
    other = accounts.register(session, email="b@kajaani.fi", name="B", password=GOOD_PASSWORD, organisation=kajaani)
    accounts.confirm_email(session, other)
    with pytest.raises(accounts.AccountError):
        accounts.approve_membership(session, member, other)
    moderator = accounts.add_user(session, email="m@kuntaliitto.fi", role=Role.moderator, password=GOOD_PASSWORD)
    accounts.approve_membership(session, moderator, other)
    assert other.can_submit


def test_unconfirmed_membership_cannot_be_approved(session, kajaani):
    member = accounts.register(session, email="a@kajaani.fi", name="A", password=GOOD_PASSWORD, organisation=kajaani)
    moderator = accounts.add_user(session, email="m@kuntaliitto.fi", role=Role.moderator, password=GOOD_PASSWORD)
    with pytest.raises(accounts.AccountError) as caught:
        accounts.approve_membership(session, moderator, member)
    assert caught.value.code == "unconfirmed"


def test_others_failures_guard_the_account_but_the_right_password_gets_a_link(engine, session, kajaani):
    user = accounts.register(session, email="a@kajaani.fi", name="A", password=GOOD_PASSWORD, organisation=kajaani)
    accounts.confirm_email(session, user)
    session.commit()
    for attempt in range(login.MAX_FAILURES_PER_ACCOUNT):
        # every attempt in its own session, as separate worker processes would do
        with Session(engine) as worker:
            with pytest.raises(login.AccountError) as caught:
                login.authenticate(worker, "a@kajaani.fi", "väärin", f"10.0.0.{attempt}")
            assert not isinstance(caught.value, login.Throttled)
            worker.commit()
    with Session(engine) as worker, pytest.raises(login.Throttled) as right:
        login.authenticate(worker, "a@kajaani.fi", GOOD_PASSWORD, "10.0.0.99")
    assert right.value.user.id == user.id  # the owner gets a link, not a lock-out
    with Session(engine) as worker, pytest.raises(login.Throttled) as wrong:
        login.authenticate(worker, "a@kajaani.fi", "väärin", "10.0.0.99")
    assert wrong.value.user is None and str(wrong.value) == str(right.value)
    later = utcnow() + login.THROTTLE_WINDOW + timedelta(seconds=1)
    with Session(engine) as worker:
        assert login.authenticate(worker, "a@kajaani.fi", GOOD_PASSWORD, "10.0.0.99", now=later).email == "a@kajaani.fi"
        with pytest.raises(login.AccountError):
            login.authenticate(worker, "b@kajaani.fi", "väärin", "10.0.0.99", now=later)
        # only the newest failure is kept: older ones are dropped as failures are written
        assert worker.exec(select(sa.func.count()).select_from(LoginAttempt)).one() == 1


def test_success_clears_the_accounts_failures(session, kajaani):
    accounts.register(session, email="a@kajaani.fi", name="A", password=GOOD_PASSWORD, organisation=kajaani)
    for _ in range(login.MAX_FAILURES_PER_ACCOUNT - 1):
        with pytest.raises(accounts.AccountError):
            login.authenticate(session, "a@kajaani.fi", "väärin", "10.0.0.1")
    login.authenticate(session, "a@kajaani.fi", GOOD_PASSWORD, "10.0.0.1")
    with pytest.raises(accounts.AccountError) as caught:
        login.authenticate(session, "a@kajaani.fi", "väärin", "10.0.0.1")
    assert not isinstance(caught.value, login.Throttled)


def test_password_change_rotates_the_session_token(session, kajaani):
    user = accounts.register(session, email="a@kajaani.fi", name="A", password=GOOD_PASSWORD, organisation=kajaani)
    token = user.session_token
    accounts.change_password(session, user, "toinen pitkä salalause tässä")
    assert user.session_token != token
    assert accounts.verify_password(user, "toinen pitkä salalause tässä")


def test_cli_style_helpers_create_and_promote(session):
    org = accounts.find_or_create_organisation(session, "Borgå")
    assert org.name == "Porvoo" and org.municipality_code == "638"
    group = accounts.find_or_create_organisation(session, "Kainuun kuntakokeilu")
    assert group.kind == "group"
    user = accounts.add_user(session, email="a@porvoo.fi", role=Role.member, password=GOOD_PASSWORD, organisation=org)
    assert user.can_submit
    assert accounts.set_role(session, "a@porvoo.fi", Role.admin).is_admin
    with pytest.raises(accounts.AccountError):
        accounts.set_role(session, "nobody@x.fi", Role.admin)
    assert isinstance(session.get(Organisation, org.id), Organisation)


def test_checking_a_password_leaves_the_database_free_for_writers(engine, session, kajaani, tmp_path):
    """The slow argon2 check runs on a reading session: a writer meanwhile gets the lock at once."""
    import sqlite3

    from ideapankki.db import reading, session_scope

    accounts.register(session, email="a@kajaani.fi", name="A", password=GOOD_PASSWORD, organisation=kajaani)
    session.commit()
    with Session(reading(engine)) as reader:
        check = login.check_login(reader, "a@kajaani.fi", GOOD_PASSWORD, "10.0.0.1")
        assert check.ok
        if engine.dialect.name == "sqlite":
            other = sqlite3.connect(engine.url.database, timeout=0)
            other.execute("BEGIN IMMEDIATE")  # would raise "database is locked" if the check held it
            other.rollback()
            other.close()
    with session_scope(engine) as writer:
        assert login.record_login(writer, check).last_login_at is not None
    with Session(engine) as reader:
        wrong = login.check_login(reader, "a@kajaani.fi", "väärin", "10.0.0.1")
    with session_scope(engine) as writer, pytest.raises(accounts.AccountError):
        login.record_login(writer, wrong)
