"""Log-in throttling that stops guessing without letting others lock an owner out.

Every failed log-in is one row, an (account, address) pair, in the database, so the rules hold
across worker processes and servers. Within WINDOW a log-in is *guarded* when

- the account has MAX_FAILURES_PER_ACCOUNT failures, from any address (guessing one password,
  also from many addresses), or
- the client address has failed on MAX_ACCOUNTS_PER_ADDRESS distinct accounts (spraying one
  password over many accounts, credential stuffing).

Guarded is friction, not a lock. The password is still checked, but no longer logs in by itself:
the right one gets a one-time log-in link mailed to the account's address, and the answer is the
same for a right and a wrong password and for unknown accounts. Guessing on teaches an attacker
nothing, while the owner still gets in with the password and the mailbox. No address is ever
refused: failures on one account never guard the other accounts tried from the same address, so
an office behind one NAT address keeps logging in while a colleague mistypes or someone behind
the same address guesses; only an address that sprays many accounts needs the link for all.
The price: after others' failures, the owner's log-in takes a trip to the mailbox.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from .models import LoginAttempt, User

WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_ACCOUNTS_PER_ADDRESS = 30  # generous: an office rarely has 30 people mistyping within 15 minutes
LINK_MAX_AGE_S = 15 * 60
ADDRESS_LENGTH = 100  # the column's length


def _address(address: str) -> str:
    return (address or "unknown")[:ADDRESS_LENGTH]


def is_guarded(session: Session, account: str, address: str, now: datetime) -> bool:
    """Whether a log-in to ACCOUNT (a normalised e-mail) from ADDRESS needs the mailed link now."""
    since = now - WINDOW
    failures = session.exec(select(sa.func.count()).select_from(LoginAttempt)
                            .where(LoginAttempt.account == account, LoginAttempt.at > since)).one()
    if failures >= MAX_FAILURES_PER_ACCOUNT:
        return True
    tried = session.exec(select(sa.func.count(sa.distinct(LoginAttempt.account)))
                         .where(LoginAttempt.address == _address(address), LoginAttempt.at > since)).one()
    return tried >= MAX_ACCOUNTS_PER_ADDRESS


def record_failure(session: Session, account: str, address: str, at: datetime) -> None:
    """Count a failed (or guarded) log-in; failures older than the window are dropped on the way."""
    session.exec(sa.delete(LoginAttempt).where(LoginAttempt.at < at - WINDOW))
    session.add(LoginAttempt(account=account[:254], address=_address(address), at=at))
    session.flush()


def clear_account(session: Session, account: str) -> None:
    """Forget ACCOUNT's failures once its owner has logged in."""
    session.exec(sa.delete(LoginAttempt).where(LoginAttempt.account == account))


def link_state(user: User) -> str:
    """What a log-in link is bound to: it stops working at the next log-in or sign-out everywhere."""
    # A digest: the link travels by mail and must not carry the session token itself.
    return hashlib.sha256(f"{user.session_token}/{user.last_login_at}".encode()).hexdigest()[:32]
