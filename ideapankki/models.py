"""Database tables (SQLModel) and the closed vocabularies they use.

No Flask here: the domain, the CLI and the tests use these directly.
Enumerations are stored as short strings guarded by CHECK constraints rather than
native enum types, so SQLite and PostgreSQL share one schema and one migration path.
"""


import enum
import secrets
from datetime import date, datetime, timezone
from typing import ClassVar, Optional

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel


def utcnow() -> datetime:
    """Return the current time in UTC (timezone-aware)."""
    return datetime.now(timezone.utc)


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


class ProposerRole(str, enum.Enum):
    official = "official"
    elected = "elected"
    other = "other"


class Role(str, enum.Enum):
    member = "member"
    moderator = "moderator"
    admin = "admin"


class OrganisationKind(str, enum.Enum):
    municipality = "municipality"
    group = "group"
    association = "association"


def _one_of(column: str, values: type[enum.Enum], name: str) -> sa.CheckConstraint:
    allowed = ", ".join(f"'{v.value}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({allowed})", name=name)


def _timestamp(**kwargs) -> Field:
    return Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True), nullable=False, **kwargs)


class Municipality(SQLModel, table=True):
    """A municipality from the register (reference data, loaded from data/municipalities.csv)."""

    code: str = Field(primary_key=True, max_length=3)
    name_fi: str = Field(max_length=80, index=True)
    name_sv: str = Field(max_length=80, index=True)
    region_code: str = Field(max_length=8, index=True)
    region_fi: str = Field(max_length=80)
    region_sv: str = Field(max_length=80)
    # 1 = Finnish-speaking, 2 = bilingual, 4 = Swedish-speaking / Åland (register coding)
    language_ratio: int

    __table_args__ = (sa.CheckConstraint("language_ratio IN (1, 2, 3, 4)", name="ck_municipality_language"),)


class Theme(SQLModel, table=True):
    """A theme from the fixed list; names are translated in the UI, the slug is the key."""

    slug: str = Field(primary_key=True, max_length=40)
    position: int


class Organisation(SQLModel, table=True):
    """A municipality, a group of municipalities or an association whose members submit entries."""

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
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

    __table_args__ = (_one_of("role", Role, "ck_account_role"),)

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
    """A failed log-in, by account and by address: throttling that holds across worker processes."""

    __tablename__ = "login_attempt"

    id: Optional[int] = Field(default=None, primary_key=True)
    key: str = Field(max_length=300, index=True)  # "account:<email>" or "address:<ip>"
    at: datetime = _timestamp(index=True)


class Entry(SQLModel, table=True):
    """A practice, idea or norm proposal; the live, published text when state is published."""

    id: Optional[int] = Field(default=None, primary_key=True)
    slug: str = Field(max_length=120, unique=True)
    type: str = Field(max_length=20, index=True)
    state: str = Field(default=EntryState.draft.value, max_length=20, index=True)
    language: str = Field(default=Language.fi.value, max_length=2)
    title: str = Field(max_length=300)
    summary: str = Field(sa_type=sa.Text)
    body_md: str = Field(default="", sa_type=sa.Text)
    # rendered and sanitised once at save time (ideapankki.markdown.render)
    body_html: str = Field(default="", sa_type=sa.Text)
    published_on: Optional[date] = Field(default=None, index=True)
    period_start: Optional[date] = None
    period_end: Optional[date] = None
    trial_status: Optional[str] = Field(default=None, max_length=20)
    origin: Optional[str] = Field(default=None, max_length=300)
    # norm proposals: what to do with the law, why, the expected effects, who proposes
    proposal_action: Optional[str] = Field(default=None, max_length=20)
    proposal_justification: Optional[str] = Field(default=None, sa_type=sa.Text)
    proposal_savings: Optional[str] = Field(default=None, sa_type=sa.Text)
    proposal_time: Optional[str] = Field(default=None, sa_type=sa.Text)
    proposal_people: Optional[str] = Field(default=None, sa_type=sa.Text)
    proposal_proposer_role: Optional[str] = Field(default=None, max_length=20)
    author_id: Optional[int] = Field(default=None, foreign_key="account.id", index=True)
    organisation_id: Optional[int] = Field(default=None, foreign_key="organisation.id", index=True)
    # the national trial programme a practice belongs to (ideapankki.programmes)
    programme_slug: Optional[str] = Field(default=None, foreign_key="programme.slug", index=True, max_length=120)
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()

    municipality_links: list["EntryMunicipality"] = Relationship(
        back_populates="entry",
        sa_relationship_kwargs={"order_by": "EntryMunicipality.position", "cascade": "all, delete-orphan"},
    )
    theme_links: list["EntryTheme"] = Relationship(
        back_populates="entry",
        sa_relationship_kwargs={"order_by": "EntryTheme.position", "cascade": "all, delete-orphan"},
    )
    tag_links: list["EntryTag"] = Relationship(
        back_populates="entry",
        sa_relationship_kwargs={"order_by": "EntryTag.position", "cascade": "all, delete-orphan"},
    )
    laws: list["LawReference"] = Relationship(
        back_populates="entry",
        sa_relationship_kwargs={"order_by": "LawReference.position", "cascade": "all, delete-orphan"},
    )
    contacts: list["Contact"] = Relationship(
        back_populates="entry",
        sa_relationship_kwargs={"order_by": "Contact.position", "cascade": "all, delete-orphan"},
    )
    links: list["EntryLink"] = Relationship(
        back_populates="entry",
        sa_relationship_kwargs={"order_by": "EntryLink.position", "cascade": "all, delete-orphan"},
    )
    relations: list["EntryRelation"] = Relationship(
        back_populates="entry",
        sa_relationship_kwargs={"order_by": "EntryRelation.position", "cascade": "all, delete-orphan"},
    )
    norm_events: list["NormStatusEvent"] = Relationship(
        back_populates="entry",
        sa_relationship_kwargs={"order_by": "(NormStatusEvent.happened_on, NormStatusEvent.id)",
                                "cascade": "all, delete-orphan"},
    )

    __table_args__ = (
        _one_of("type", EntryType, "ck_entry_type"),
        _one_of("state", EntryState, "ck_entry_state"),
        _one_of("language", Language, "ck_entry_language"),
        sa.CheckConstraint(
            "trial_status IS NULL OR (type = 'practice' AND trial_status IN ('planned', 'ongoing', 'ended'))",
            name="ck_entry_trial_status",
        ),
        sa.CheckConstraint(
            "period_start IS NULL OR period_end IS NULL OR period_end >= period_start",
            name="ck_entry_period",
        ),
        sa.CheckConstraint("length(slug) > 0 AND length(title) > 0", name="ck_entry_nonempty"),
        sa.CheckConstraint(
            "proposal_action IS NULL OR (type = 'norm' AND proposal_action IN "
            "('remove', 'loosen', 'trial_exemption', 'reform'))",
            name="ck_entry_proposal_action",
        ),
        sa.CheckConstraint(
            "proposal_proposer_role IS NULL OR (type = 'norm' AND proposal_proposer_role IN "
            "('official', 'elected', 'other'))",
            name="ck_entry_proposer_role",
        ),
        sa.CheckConstraint("programme_slug IS NULL OR type = 'practice'", name="ck_entry_programme"),
    )

    @property
    def municipalities(self) -> list[Municipality]:
        return [link.municipality for link in self.municipality_links]

    @property
    def theme_slugs(self) -> list[str]:
        return [link.theme_slug for link in self.theme_links]

    @property
    def tags(self) -> list[str]:
        return [link.tag for link in self.tag_links]


class EntryMunicipality(SQLModel, table=True):
    __tablename__ = "entry_municipality"

    entry_id: int = Field(foreign_key="entry.id", primary_key=True, ondelete="CASCADE")
    municipality_code: str = Field(foreign_key="municipality.code", primary_key=True, index=True)
    position: int

    entry: Entry = Relationship(back_populates="municipality_links")
    municipality: Municipality = Relationship(sa_relationship_kwargs={"lazy": "joined"})


class EntryTheme(SQLModel, table=True):
    __tablename__ = "entry_theme"

    entry_id: int = Field(foreign_key="entry.id", primary_key=True, ondelete="CASCADE")
    theme_slug: str = Field(foreign_key="theme.slug", primary_key=True, index=True)
    position: int

    entry: Entry = Relationship(back_populates="theme_links")


class EntryTag(SQLModel, table=True):
    __tablename__ = "entry_tag"

    entry_id: int = Field(foreign_key="entry.id", primary_key=True, ondelete="CASCADE")
    tag: str = Field(primary_key=True, max_length=100, index=True)
    position: int

    entry: Entry = Relationship(back_populates="tag_links")


class LawReference(SQLModel, table=True):
    """A law or regulation an entry concerns: title, statute number (e.g. 916/2012), section."""

    __tablename__ = "law_reference"

    id: Optional[int] = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="entry.id", index=True, ondelete="CASCADE")
    position: int
    title: str = Field(max_length=300)
    number: Optional[str] = Field(default=None, max_length=20, index=True)
    section: Optional[str] = Field(default=None, max_length=100)

    entry: Entry = Relationship(back_populates="laws")


class Contact(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="entry.id", index=True, ondelete="CASCADE")
    position: int
    name: str = Field(max_length=200)
    role: Optional[str] = Field(default=None, max_length=200)
    email: Optional[str] = Field(default=None, max_length=254)

    entry: Entry = Relationship(back_populates="contacts")


class EntryLink(SQLModel, table=True):
    __tablename__ = "entry_link"

    id: Optional[int] = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="entry.id", index=True, ondelete="CASCADE")
    position: int
    title: str = Field(max_length=300)
    url: str = Field(max_length=2000)

    entry: Entry = Relationship(back_populates="links")


class Revision(SQLModel, table=True):
    """A snapshot of an entry in the content format, one per save; the basis of history and diffs.

    A revision with a state is an edit of a published entry going through review while the
    published text stays live; it is applied to the entry when published. Revisions without
    a state were the entry's own text when saved.
    """

    id: Optional[int] = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="entry.id", index=True, ondelete="CASCADE")
    number: int
    source: str = Field(sa_type=sa.Text)
    state: Optional[str] = Field(default=None, max_length=20)
    author_id: Optional[int] = Field(default=None, foreign_key="account.id")
    created_at: datetime = _timestamp()

    __table_args__ = (
        sa.UniqueConstraint("entry_id", "number", name="uq_revision_entry_number"),
        sa.CheckConstraint(
            "state IS NULL OR state IN ('draft', 'submitted', 'in_review', 'published', 'returned', 'rejected')",
            name="ck_revision_state",
        ),
    )


class Transition(SQLModel, table=True):
    """Audit log: one row per workflow transition (who, when, from, to, comment)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="entry.id", index=True, ondelete="CASCADE")
    # set when the move concerned an edit (a revision) of a published entry
    revision_id: Optional[int] = Field(default=None, foreign_key="revision.id", ondelete="CASCADE")
    actor_id: Optional[int] = Field(default=None, foreign_key="account.id")
    from_state: str = Field(max_length=20)
    to_state: str = Field(max_length=20)
    comment: Optional[str] = Field(default=None, sa_type=sa.Text)
    at: datetime = _timestamp()

    __table_args__ = (
        _one_of("from_state", EntryState, "ck_transition_from"),
        _one_of("to_state", EntryState, "ck_transition_to"),
    )


class EntryRelation(SQLModel, table=True):
    """A typed link from an entry to another, by the other's slug (its permanent address).

    By slug, not id, so that the content format can name entries imported in the same run, and
    a link to an entry not (yet) published simply stays out of sight until it is.
    """

    __tablename__ = "entry_relation"

    id: Optional[int] = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="entry.id", index=True, ondelete="CASCADE")
    position: int
    kind: str = Field(max_length=30)
    target_slug: str = Field(max_length=120, index=True)

    entry: Entry = Relationship(back_populates="relations")

    __table_args__ = (
        _one_of("kind", RelationKind, "ck_entry_relation_kind"),
        sa.UniqueConstraint("entry_id", "kind", "target_slug", name="uq_entry_relation"),
    )


class NormStatusEvent(SQLModel, table=True):
    """One step of a norm proposal after publication: sent to the ministry, a bill, the law changed…"""

    __tablename__ = "norm_status_event"

    id: Optional[int] = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="entry.id", index=True, ondelete="CASCADE")
    status: str = Field(max_length=30, index=True)
    happened_on: date
    note: str = Field(default="", sa_type=sa.Text)
    amending_act: Optional[str] = Field(default=None, max_length=20)  # the act that changed the law
    reason: Optional[str] = Field(default=None, sa_type=sa.Text)  # why it does not proceed
    recorded_by: Optional[int] = Field(default=None, foreign_key="account.id")
    recorded_at: datetime = _timestamp()

    entry: Entry = Relationship(back_populates="norm_events")

    __table_args__ = (
        _one_of("status", NormStatus, "ck_norm_status"),
        sa.CheckConstraint("status != 'law_changed' OR amending_act IS NOT NULL", name="ck_norm_status_act"),
        sa.CheckConstraint("status != 'not_proceeding' OR reason IS NOT NULL", name="ck_norm_status_reason"),
    )


class EntryChange(SQLModel, table=True):
    """Change log: one row per flush that touched an entry, written in the same transaction.

    Search indexes (one per server) are projections of the database; each applies these rows
    in id order. No foreign key: the row must outlive a deleted entry so the index learns of it.
    """

    __tablename__ = "entry_change"

    id: Optional[int] = Field(default=None, primary_key=True)
    entry_id: int = Field(index=True)
    at: datetime = _timestamp()


class Programme(SQLModel, table=True):
    """A national programme of municipal trials (e.g. Työllisyyden kuntakokeilut 2021–2023).

    Editorial reference content, imported from content/programmes/; practices belong to one
    through Entry.programme_slug. The totals are what the sources state, which may exceed the
    participants the bank can name.
    """

    slug: str = Field(primary_key=True, max_length=120)
    title: str = Field(max_length=300)
    summary: str = Field(sa_type=sa.Text)
    language: str = Field(default=Language.fi.value, max_length=2)
    body_md: str = Field(default="", sa_type=sa.Text)
    # rendered and sanitised once at save time (ideapankki.markdown.render)
    body_html: str = Field(default="", sa_type=sa.Text)
    period_start: date
    period_end: Optional[date] = None
    law_title: Optional[str] = Field(default=None, max_length=300)
    law_number: Optional[str] = Field(default=None, max_length=20)
    law_confirmed: Optional[date] = None
    areas: Optional[int] = None
    participants_total: Optional[int] = None
    updated_at: datetime = _timestamp()

    participant_links: list["ProgrammeMunicipality"] = Relationship(
        sa_relationship_kwargs={"order_by": "ProgrammeMunicipality.position", "cascade": "all, delete-orphan"},
    )
    links: list["ProgrammeLink"] = Relationship(
        sa_relationship_kwargs={"order_by": "ProgrammeLink.position", "cascade": "all, delete-orphan"},
    )

    __table_args__ = (
        _one_of("language", Language, "ck_programme_language"),
        sa.CheckConstraint("length(slug) > 0 AND length(title) > 0", name="ck_programme_nonempty"),
        sa.CheckConstraint("period_end IS NULL OR period_end >= period_start", name="ck_programme_period"),
        sa.CheckConstraint("law_title IS NOT NULL OR (law_number IS NULL AND law_confirmed IS NULL)",
                           name="ck_programme_law"),
        sa.CheckConstraint("areas IS NULL OR areas >= 0", name="ck_programme_areas"),
        sa.CheckConstraint("participants_total IS NULL OR participants_total >= 0", name="ck_programme_total"),
    )

    @property
    def municipalities(self) -> list[Municipality]:
        return [link.municipality for link in self.participant_links]


class ProgrammeMunicipality(SQLModel, table=True):
    """A participating municipality of a programme that the bank can name."""

    __tablename__ = "programme_municipality"

    programme_slug: str = Field(foreign_key="programme.slug", primary_key=True, ondelete="CASCADE", max_length=120)
    municipality_code: str = Field(foreign_key="municipality.code", primary_key=True, index=True)
    position: int

    municipality: Municipality = Relationship(sa_relationship_kwargs={"lazy": "joined"})


class ProgrammeLink(SQLModel, table=True):
    __tablename__ = "programme_link"

    id: Optional[int] = Field(default=None, primary_key=True)
    programme_slug: str = Field(foreign_key="programme.slug", index=True, ondelete="CASCADE", max_length=120)
    position: int
    title: str = Field(max_length=300)
    url: str = Field(max_length=2000)
