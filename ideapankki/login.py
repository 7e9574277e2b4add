"""Logging in: check a password without holding a write lock, then record the outcome.

Domain functions, no Flask. Failed log-ins feed login_throttle; a guarded log-in is answered
alike for right, wrong and unknown (Throttled), and the right password then gets a one-time
link mailed to the owner (log_in_by_link), so others' failures never lock the owner out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from . import login_throttle
from .accounts import AccountError, _verify_dummy, get_by_email, normalise_email, verify_password
from .models import User, utcnow

THROTTLE_WINDOW = login_throttle.WINDOW
MAX_FAILURES_PER_ACCOUNT = login_throttle.MAX_FAILURES_PER_ACCOUNT


class Throttled(AccountError):
    """The log-in is guarded (too many failures): the password alone does not log in now.

    USER is the account when the password was right (and the account may log in): mail it a
    one-time link. The caller answers alike either way, so the answer tells a guesser nothing.
    """

    def __init__(self, code: str, message: str, user: User | None = None):
        super().__init__(code, message)
        self.user = user


@dataclass(frozen=True)
class LoginCheck:
    """What checking a log-in found, before anything is written (see check_login)."""

    email: str
    address: str
    at: datetime
    user_id: int | None
    ok: bool
    new_hash: str | None = None
    guarded: bool = False


def check_login(session: Session, email: str, password: str, address: str, now: datetime | None = None) -> LoginCheck:
    """Read the throttle and verify PASSWORD without writing.

    The password is verified even when the log-in is guarded (record_login then raises
    Throttled), so a guarded answer takes as long for right, wrong and unknown. The argon2
    check is slow on purpose (~0.1 s): done here, on a reading session, it holds no write lock,
    so a crowd logging in at once cannot starve SQLite's writers ("database is locked").
    record_login then writes the outcome in a short transaction.
    """
    now = now or utcnow()
    email = normalise_email(email)
    guarded = login_throttle.is_guarded(session, email, address, now)
    user = get_by_email(session, email)
    if user is None:
        _verify_dummy(password)
        return LoginCheck(email, address, now, None, False, guarded=guarded)
    old_hash = user.password_hash
    ok = verify_password(user, password) and user.is_active
    new_hash = user.password_hash if user.password_hash != old_hash else None
    session.expire(user)  # nothing of this reading session is written
    return LoginCheck(email, address, now, user.id, ok, new_hash if ok else None, guarded)


def record_login(session: Session, check: LoginCheck) -> User:
    """Write CHECK's outcome: the user's log-in, or a failed attempt and raise.

    Raises AccountError("invalid") for a wrong password or unknown account, Throttled for any
    guarded attempt. A guarded attempt counts as a failure even with the right password: the
    same write either way keeps the answer's timing alike, and the link clears the count.
    """
    user = session.get(User, check.user_id) if check.ok else None
    if user is not None and not user.is_active:
        user = None
    if check.guarded or user is None:
        login_throttle.record_failure(session, check.email, check.address, check.at)
        if check.guarded:
            link_to = user if user is not None and user.email_confirmed_at is not None else None
            raise Throttled("throttled", "too many failed log-ins; a one-time link is needed", link_to)
        raise AccountError("invalid", "wrong e-mail address or password")
    login_throttle.clear_account(session, check.email)
    if check.new_hash:
        user.password_hash = check.new_hash
    user.last_login_at = check.at
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str, address: str, now: datetime | None = None) -> User:
    """Return the user for EMAIL and PASSWORD, or raise (Throttled, AccountError("invalid")).

    Both steps on one session; the web splits them over a reading and a writing session.
    """
    return record_login(session, check_login(session, email, password, address, now))


def log_in_by_link(session: Session, user_id: int, state: str, now: datetime | None = None) -> User:
    """Log in from a mailed one-time link bound to STATE (login_throttle.link_state).

    Raises AccountError("invalid_link") when the account is gone or inactive, or the link was
    used (a log-in changes the state) or the account signed out everywhere since.
    """
    user = session.get(User, user_id)
    if user is None or not user.is_active or login_throttle.link_state(user) != state:
        raise AccountError("invalid_link", "the log-in link is no longer valid")
    login_throttle.clear_account(session, user.email)
    user.last_login_at = now or utcnow()
    session.flush()
    return user
