"""Organisations, accounts, log-in attempts and other rate-limited actions."""

import secrets
from datetime import date, datetime
from typing import ClassVar, Optional

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import Language, ModeratorNotices, OrganisationKind, Role, _one_of, _timestamp


class Organisation(SQLModel, table=True):
    """A municipality, a group of municipalities or an association whose members submit entries."""

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)  # the Finnish name
    name_sv: Optional[str] = Field(default=None, max_length=200)
    kind: str = Field(max_length=20)
    municipality_code: Optional[str] = Field(default=None, foreign_key="municipality.code")
    # e-mail domain whose confirmed addresses are approved as members without a moderator
    auto_approve_domain: Optional[str] = Field(default=None, max_length=200)
    created_at: datetime = _timestamp()

    __table_args__ = (_one_of("kind", OrganisationKind, "ck_organisation_kind"),)


class User(SQLModel, table=True):
    """An account: a member of an organisation, a moderator or an admin."""

    __tablename__ = "account"

    id: Optional[int] = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    password_hash: str = Field(max_length=255)
    name: str = Field(max_length=200)
    role: str = Field(default=Role.member.value, max_length=20)
    organisation_id: Optional[int] = Field(default=None, foreign_key="organisation.id", index=True)
    email_confirmed_at: Optional[datetime] = Field(default=None, sa_type=sa.DateTime(timezone=True))
    membership_approved_at: Optional[datetime] = Field(default=None, sa_type=sa.DateTime(timezone=True))
    is_active: bool = Field(default=True)
    # Part of every session and remember-me cookie: rotating it logs the account out everywhere.
    session_token: str = Field(default_factory=lambda: secrets.token_urlsafe(24), max_length=64)
    last_login_at: Optional[datetime] = Field(default=None, sa_type=sa.DateTime(timezone=True))
    created_at: datetime = _timestamp()
    # moderators: mail about new work at once, or one daily digest (ideapankki.moderator_notices)
    moderator_notices: str = Field(default=ModeratorNotices.immediate.value, max_length=20,
                                   sa_column_kwargs={"server_default": ModeratorNotices.immediate.value})
    moderator_digest_on: Optional[date] = None  # the day of the last daily digest (one a day)
    # the language of the mail the account gets: the UI language at registration, changed on the account page
    language: str = Field(default=Language.fi.value, max_length=2, sa_column_kwargs={"server_default": "fi"})

    __table_args__ = (_one_of("role", Role, "ck_account_role"),
                      _one_of("moderator_notices", ModeratorNotices, "ck_account_moderator_notices"),
                      _one_of("language", Language, "ck_account_language"))

    # The user-object protocol of Flask-Login, without importing Flask here.
    is_authenticated: ClassVar[bool] = True
    is_anonymous: ClassVar[bool] = False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_moderator(self) -> bool:
        return self.role in (Role.moderator.value, Role.admin.value)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.admin.value

    @property
    def can_submit(self) -> bool:
        """Confirmed and approved into an organisation (moderators and admins always can)."""
        return self.is_active and self.email_confirmed_at is not None and (
            self.is_moderator or (self.organisation_id is not None and self.membership_approved_at is not None))


class LoginAttempt(SQLModel, table=True):
    """A failed log-in as an (account, address) pair: throttling that holds across worker processes.

    Pairs, not separate counters, so that an address is throttled only for the accounts it has
    tried itself (see ideapankki/login_throttle.py).
    """

    __tablename__ = "login_attempt"

    id: Optional[int] = Field(default=None, primary_key=True)
    account: str = Field(max_length=254)  # the normalised e-mail typed, whether or not it has an account
    address: str = Field(max_length=100)  # the client address
    at: datetime = _timestamp(index=True)

    __table_args__ = (sa.Index("ix_login_attempt_account_at", "account", "at"),
                      sa.Index("ix_login_attempt_address_at", "address", "at"))


class RateEvent(SQLModel, table=True):
    """One use of a rate-limited action (a preview, a request that may mail), counted across workers
    (ideapankki.limits: keys such as "preview:<account id>", "mail-to:<address digest>")."""

    __tablename__ = "rate_event"

    id: Optional[int] = Field(default=None, primary_key=True)
    key: str = Field(max_length=100)
    at: datetime = _timestamp()
    __table_args__ = (sa.Index("ix_rate_event_key_at", "key", "at"),)
