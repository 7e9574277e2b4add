"""The closed vocabularies the tables use, and the helpers for their columns.

No Flask here: the domain, the CLI and the tests use these directly.
Enumerations are stored as short strings guarded by CHECK constraints rather than
native enum types, so SQLite and PostgreSQL share one schema and one migration path.
"""


import enum
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlmodel import Field


def utcnow() -> datetime:
    """Return the current time in UTC (timezone-aware)."""
    return datetime.now(timezone.utc)


def as_utc(moment: datetime) -> datetime:
    """MOMENT from a timestamp column as an aware UTC datetime, whichever database read it.

    SQLite returns naive datetimes (every stored time is UTC); PostgreSQL returns aware ones
    in the session's time zone.
    """
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


class EntryType(str, enum.Enum):
    practice = "practice"
    idea = "idea"
    norm = "norm"


class EntryState(str, enum.Enum):
    draft = "draft"
    submitted = "submitted"
    in_review = "in_review"
    published = "published"
    returned = "returned"
    rejected = "rejected"
    archived = "archived"


class Language(str, enum.Enum):
    fi = "fi"
    sv = "sv"
    en = "en"


class TrialStatus(str, enum.Enum):
    planned = "planned"
    ongoing = "ongoing"
    ended = "ended"


class PracticeStatus(str, enum.Enum):
    """Where a practice stands now: still running, ended, or made a permanent part of the work."""

    ongoing = "ongoing"
    ended = "ended"
    permanent = "permanent"


class NormAction(str, enum.Enum):
    """What a norm proposal asks for the law or regulation."""

    remove = "remove"
    loosen = "loosen"
    trial_exemption = "trial_exemption"
    reform = "reform"


class NormStatus(str, enum.Enum):
    """How far a published norm proposal has got after the bank (recorded by moderators)."""

    sent_to_ministry = "sent_to_ministry"
    impact_assessment = "impact_assessment"
    government_bill = "government_bill"
    law_changed = "law_changed"
    not_proceeding = "not_proceeding"


class RelationKind(str, enum.Enum):
    """Typed links between entries: an idea led to a trial, a trial needs a norm change, …"""

    led_to = "led_to"
    needs_norm_change = "needs_norm_change"
    based_on = "based_on"
    similar_to = "similar_to"
    translation_of = "translation_of"  # the same entry in another language
    adapted_from = "adapted_from"  # a practice or idea made from another one elsewhere


class AdoptionStatus(str, enum.Enum):
    """An organisation's mark on a practice or idea (ideapankki.adoptions)."""

    adopted = "adopted"  # in use here
    interested = "interested"


class ProposerRole(str, enum.Enum):
    official = "official"
    elected = "elected"
    other = "other"


class Role(str, enum.Enum):
    member = "member"
    moderator = "moderator"
    admin = "admin"


class ModeratorNotices(str, enum.Enum):
    """How a moderator hears of new work: a mail at once, or a daily digest (`ideapankki moderator-digest`)."""

    immediate = "immediate"
    daily = "daily"


class OrganisationKind(str, enum.Enum):
    """What an organisation is (ideapankki.organisations: the register members choose from)."""

    municipality = "municipality"
    wellbeing_county = "wellbeing_county"  # hyvinvointialue
    regional_council = "regional_council"  # maakunnan liitto
    joint_authority = "joint_authority"  # kuntayhtymä
    association = "association"  # Kuntaliitto
    ministry = "ministry"
    group = "group"  # anything else (made by `user add --org`, or an admin)


def _one_of(column: str, values: type[enum.Enum], name: str) -> sa.CheckConstraint:
    allowed = ", ".join(f"'{v.value}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({allowed})", name=name)


def _timestamp(**kwargs) -> Field:
    return Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True), nullable=False, **kwargs)

