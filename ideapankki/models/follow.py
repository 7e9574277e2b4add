"""Followers by e-mail (ideapankki.following) and what `ideapankki notify` tells them (ideapankki.digests).

A follower is an address and nothing else: its choices (how often, which language), its
unguessable token for the links in every mail, and what it follows. No account, no name, no
history of what was sent: the address is deleted when nothing is left to follow.
"""

import enum
from datetime import date, datetime
from typing import Optional

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import Language, _one_of, _timestamp


class Frequency(str, enum.Enum):
    immediate = "immediate"
    daily = "daily"
    weekly = "weekly"


class FollowKind(str, enum.Enum):
    all = "all"
    entry = "entry"
    theme = "theme"
    municipality = "municipality"
    region = "region"
    programme = "programme"
    search = "search"


class EventKind(str, enum.Enum):
    published = "published"  # first publication
    version = "version"  # an edit of a published entry was published
    norm_status = "norm_status"  # a step of a norm proposal was recorded
    adoption = "adoption"  # another municipality took the practice up


class Follower(SQLModel, table=True):
    """An e-mail address that follows something; confirmed once one of its requests was confirmed."""

    id: Optional[int] = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, unique=True)
    token: str = Field(max_length=64, unique=True)  # the links in every mail: manage, unsubscribe
    frequency: str = Field(default=Frequency.daily.value, max_length=10)
    language: str = Field(default=Language.fi.value, max_length=2)
    created_at: datetime = _timestamp()
    confirmed_at: Optional[datetime] = Field(default=None, sa_type=sa.DateTime(timezone=True))
    seen_event_id: int = Field(default=0)  # events up to this one were in a digest already
    last_sent_at: Optional[datetime] = Field(default=None, sa_type=sa.DateTime(timezone=True))
    sent_on: Optional[date] = None  # the day (UTC) sent_that_day counts
    sent_that_day: int = Field(default=0)

    __table_args__ = (
        _one_of("frequency", Frequency, "ck_follower_frequency"),
        _one_of("language", Language, "ck_follower_language"),
    )


class Subscription(SQLModel, table=True):
    """One thing an address follows; it counts only once confirmed from the mailed link."""

    __tablename__ = "follow_subscription"

    id: Optional[int] = Field(default=None, primary_key=True)
    follower_id: int = Field(foreign_key="follower.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=20)
    value: str = Field(default="", max_length=600)  # slug, code, or the search's query string
    requested_at: datetime = _timestamp()
    confirm_token: Optional[str] = Field(default=None, max_length=64, unique=True)
    confirmed_at: Optional[datetime] = Field(default=None, sa_type=sa.DateTime(timezone=True))

    __table_args__ = (
        sa.UniqueConstraint("follower_id", "kind", "value", name="uq_follow_subscription"),
        _one_of("kind", FollowKind, "ck_follow_subscription_kind"),
    )


class FollowEvent(SQLModel, table=True):
    """Something that happened to a published entry, read by `notify` from the audit log and the
    norm-status steps. No foreign key: a deleted entry's event is skipped when a digest is made."""

    __tablename__ = "follow_event"

    id: Optional[int] = Field(default=None, primary_key=True)
    entry_id: int = Field(index=True)
    kind: str = Field(max_length=20)
    at: datetime = _timestamp()

    __table_args__ = (_one_of("kind", EventKind, "ck_follow_event_kind"),)


class NotifyCursor(SQLModel, table=True):
    """How far `notify` has read one source of events (by the source table's id)."""

    __tablename__ = "notify_cursor"

    name: str = Field(primary_key=True, max_length=30)
    last_id: int = Field(default=0)
