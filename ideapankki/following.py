"""Follow by e-mail with only an address: ask, confirm from the mailed link, choose, leave.

Double opt-in: a request (a Subscription without confirmed_at) counts for nothing until the link
mailed to the address is opened and confirmed; unconfirmed requests expire after
CONFIRM_WINDOW, and an address left with nothing is deleted. Every mail carries the follower's
own token, which opens the page that lists and ends its subscriptions (no account). Leaving
deletes the address outright: nothing about a follower is kept after it.

What a subscription follows is canonical here (an entry by id, a theme, municipality or region
by code, a programme by slug, a search by its query string as the search feed takes it), so the
same request twice is one row. The caller commits; mail is the web layer's (web/follow_mail.py).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode

import sqlalchemy as sa
from sqlmodel import Session, select

from . import browse, digests
from .models import (Entry, EntryState, FollowEvent, FollowKind, Follower, Frequency, Language, Municipality,
                     Programme, Subscription, as_utc, utcnow)
from .reference import THEME_SLUGS

CONFIRM_WINDOW = timedelta(hours=48)
SEARCH_NAMES = ("q", *browse.FILTER_NAMES)
MAX_QUERY_LENGTH = 200
MAX_EMAIL_LENGTH = 254


@dataclass
class FollowError(ValueError):
    """A request that cannot be taken as given; FIELD names the form field (or "token")."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def normalise_email(email: str) -> str:
    address = (email or "").strip().lower()
    local, at, domain = address.partition("@")
    if not at or not local or "." not in domain or len(address) > MAX_EMAIL_LENGTH or any(c.isspace() for c in address):
        raise FollowError("email", "not an e-mail address")
    return address


def canonical_search(session: Session, query: str) -> str:
    """The search's query string as this site writes it (sorted known names, non-empty values),
    its filters checked as the search page checks them; raises FollowError."""
    pairs = {k: v.strip() for k, v in parse_qsl(query or "", keep_blank_values=False) if k in SEARCH_NAMES}
    pairs = {k: v for k, v in pairs.items() if v}
    if len(pairs.get("q", "")) > MAX_QUERY_LENGTH:
        raise FollowError("value", "the search is too long")
    try:
        browse.parse_filters(session, pairs)
    except browse.FilterError as exc:
        raise FollowError("value", str(exc)) from exc
    if not pairs:
        raise FollowError("value", "an empty search follows everything: follow everything instead")
    return urlencode(sorted(pairs.items()))


def canonical_target(session: Session, kind: str, value: str) -> str:
    """VALUE as stored for KIND, or FollowError if it names nothing that can be followed."""
    value = (value or "").strip()
    if kind == FollowKind.all.value:
        return ""
    if kind == FollowKind.entry.value:
        entry = browse.get_published(session, value)
        if entry is None:
            raise FollowError("value", "no published entry has this address")
        return str(entry.id)
    if kind == FollowKind.theme.value and value in THEME_SLUGS:
        return value
    if kind == FollowKind.municipality.value and len(value) == 3 and session.get(Municipality, value):
        return value
    if kind == FollowKind.region.value and 0 < len(value) <= 10 and session.exec(
            select(Municipality.code).where(Municipality.region_code == value).limit(1)).first():
        return value
    if kind == FollowKind.programme.value and 0 < len(value) <= 120 and session.get(Programme, value):
        return value
    if kind == FollowKind.search.value:
        return canonical_search(session, value)
    raise FollowError("value", f"nothing to follow as {kind!r}: {value[:100]!r}")


def _choice(name: str, value: str, allowed: type) -> str:
    if value not in {v.value for v in allowed}:
        raise FollowError(name, f"unknown {name} {value!r}")
    return value


def subscribe(session: Session, email: str, kind: str, value: str, frequency: str, language: str, *,
              confirmed: bool = False, now: datetime | None = None) -> tuple[Follower, Subscription]:
    """Ask to follow KIND/VALUE at EMAIL. The subscription waits for its confirm_token to be
    confirmed, unless CONFIRMED (a signed-in member's own, already confirmed, address).

    A new or unconfirmed address takes FREQUENCY and LANGUAGE; a confirmed one keeps its own
    (they change only from its page). Asking again for the same thing renews the link.
    """
    now = now or utcnow()
    address = normalise_email(email)
    _choice("frequency", frequency, Frequency)
    _choice("language", language, Language)
    target = canonical_target(session, kind, value)
    follower = session.exec(select(Follower).where(Follower.email == address)).first()
    if follower is None:
        follower = Follower(email=address, token=new_token(), frequency=frequency, language=language, created_at=now)
        session.add(follower)
        session.flush()
    elif follower.confirmed_at is None:
        follower.frequency, follower.language = frequency, language
    subscription = session.exec(select(Subscription).where(
        Subscription.follower_id == follower.id, Subscription.kind == kind, Subscription.value == target)).first()
    if subscription is None:
        subscription = Subscription(follower_id=follower.id, kind=kind, value=target, requested_at=now)
        session.add(subscription)
    if subscription.confirmed_at is None:
        subscription.requested_at = now
        subscription.confirm_token = None if confirmed else new_token()
        if confirmed:
            _confirm(session, follower, subscription, now)
    session.flush()
    return follower, subscription


def _confirm(session: Session, follower: Follower, subscription: Subscription, now: datetime) -> None:
    subscription.confirmed_at, subscription.confirm_token = now, None
    if follower.confirmed_at is None:
        follower.confirmed_at = now
        # What happened before the address confirmed is not news to it: read the events up to
        # now (digests.collect), and start past them.
        digests.collect(session, now)
        follower.seen_event_id = session.exec(select(sa.func.coalesce(sa.func.max(FollowEvent.id), 0))).one()


def confirm(session: Session, token: str, now: datetime | None = None) -> tuple[Follower, Subscription]:
    """Confirm the request whose link carried TOKEN; raises FollowError("token", ...) when the
    link is unknown (used, or never sent) or older than CONFIRM_WINDOW."""
    now = now or utcnow()
    subscription = session.exec(select(Subscription).where(Subscription.confirm_token == token)).first() \
        if token else None
    if subscription is None:
        raise FollowError("token", "unknown")
    if as_utc(subscription.requested_at) < now - CONFIRM_WINDOW:
        raise FollowError("token", "expired")
    follower = session.get(Follower, subscription.follower_id)
    _confirm(session, follower, subscription, now)
    session.flush()
    return follower, subscription


def pending(session: Session, token: str) -> Subscription | None:
    """The unconfirmed request whose link carries TOKEN, or None."""
    if not token or len(token) > 64:
        return None
    return session.exec(select(Subscription).where(Subscription.confirm_token == token)).first()


def by_token(session: Session, token: str) -> Follower | None:
    """The follower whose mails carry TOKEN (None for any other string)."""
    if not token or len(token) > 64:
        return None
    return session.exec(select(Follower).where(Follower.token == token)).first()


def by_email(session: Session, email: str) -> Follower | None:
    try:
        address = normalise_email(email)
    except FollowError:
        return None
    return session.exec(select(Follower).where(Follower.email == address)).first()


def subscriptions(session: Session, follower: Follower) -> list[Subscription]:
    """FOLLOWER's confirmed subscriptions, oldest first."""
    return list(session.exec(select(Subscription).where(
        Subscription.follower_id == follower.id, Subscription.confirmed_at.is_not(None)).order_by(Subscription.id)))


def forget(session: Session, follower: Follower) -> None:
    """End everything FOLLOWER follows and delete the address."""
    session.exec(sa.delete(Subscription).where(Subscription.follower_id == follower.id))
    session.exec(sa.delete(Follower).where(Follower.id == follower.id))
    session.expunge(follower)


def remove(session: Session, follower: Follower, subscription_id: int) -> bool:
    """End one of FOLLOWER's subscriptions; delete the address when nothing is left. True when it was."""
    session.exec(sa.delete(Subscription).where(Subscription.id == subscription_id,
                                               Subscription.follower_id == follower.id))
    left = session.exec(select(sa.func.count()).select_from(Subscription)
                        .where(Subscription.follower_id == follower.id)).one()
    if not left:
        forget(session, follower)
        return True
    return False


def choose(session: Session, follower: Follower, frequency: str, language: str) -> None:
    """FOLLOWER's own choice of how often and in which language."""
    follower.frequency = _choice("frequency", frequency, Frequency)
    follower.language = _choice("language", language, Language)
    session.add(follower)
    session.flush()


def expire(session: Session, now: datetime | None = None) -> int:
    """Delete requests unconfirmed for CONFIRM_WINDOW and the addresses left with nothing; return
    how many addresses went."""
    now = now or utcnow()
    session.exec(sa.delete(Subscription).where(Subscription.confirmed_at.is_(None),
                                               Subscription.requested_at < now - CONFIRM_WINDOW))
    empty = ~sa.exists().where(Subscription.follower_id == Follower.id)
    return session.exec(sa.delete(Follower).where(empty)).rowcount
