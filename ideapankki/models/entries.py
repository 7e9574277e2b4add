"""Entries and what belongs to them: places, themes, tags, laws, contacts, links, typed links, norm steps."""

from datetime import date, datetime
from typing import Optional

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from .base import (EntryState, EntryType, Language, NormStatus, RelationKind, _one_of, _timestamp)
from .register import Municipality


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
    # the structured description of its type, validated by ideapankki.structured (goals, results…)
    details: Optional[dict] = Field(default=None, sa_type=sa.JSON)
    # practices: the Nesta evidence level (1–5) a moderator confirmed, and the one the author proposed
    evidence_level: Optional[int] = Field(default=None, index=True)
    evidence_proposed: Optional[int] = None
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
        # Counts per type and trial status, read from the index alone (the rows carry the whole
        # text; scanning them costs 100+ ms at 20k). Newest first: below the class.
        sa.Index("ix_entry_state_type", "state", "type"),
        sa.Index("ix_entry_state_trial_status", "state", "trial_status"),
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
        sa.CheckConstraint("evidence_level IS NULL OR (type = 'practice' AND evidence_level BETWEEN 1 AND 5)",
                           name="ck_entry_evidence_level"),
        sa.CheckConstraint("evidence_proposed IS NULL OR (type = 'practice' AND evidence_proposed BETWEEN 1 AND 5)",
                           name="ck_entry_evidence_proposed"),
    )

    @property
    def own_date(self) -> Optional[date]:
        """When the entry's own story begins: a practice's start, else its publication (OWN_DATE)."""
        return self.period_start or self.published_on

    @property
    def municipalities(self) -> list[Municipality]:
        return [link.municipality for link in self.municipality_links]

    @property
    def theme_slugs(self) -> list[str]:
        return [link.theme_slug for link in self.theme_links]

    @property
    def tags(self) -> list[str]:
        return [link.tag for link in self.tag_links]


# Public listings, newest published first, read in index order (LIMIT stops early instead of
# sorting every published row). On PostgreSQL the index is stored in the listing order (0011):
# an ascending one scanned backwards gives DESC NULLS FIRST. SQLite keeps 0010's ascending index:
# NULL is smallest there, so backwards is DESC with NULLs last, and it rejects NULLS LAST in
# CREATE INDEX. Tables come from the migrations only, never create_all.
sa.Index("ix_entry_state_published_on_id",
         Entry.state, Entry.published_on.desc().nulls_last(), Entry.id.desc())

# The date statistics, the year facet and "newest" count an entry by: a practice by the start of its
# own period (the 2015–2016 trials belong to 2015, not to the day they were entered in the bank),
# anything else by its publication. Entry.own_date is the same in Python.
OWN_DATE = sa.func.coalesce(Entry.period_start, Entry.published_on)

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
    organisation: Optional[str] = Field(default=None, max_length=300)
    phone: Optional[str] = Field(default=None, max_length=40)
    # the person agreed to publication: only then is the contact shown (structured.shown_contacts)
    agreed: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})

    entry: Entry = Relationship(back_populates="contacts")


class EntryLink(SQLModel, table=True):
    __tablename__ = "entry_link"

    id: Optional[int] = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="entry.id", index=True, ondelete="CASCADE")
    position: int
    title: str = Field(max_length=300)
    url: str = Field(max_length=2000)

    entry: Entry = Relationship(back_populates="links")




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
