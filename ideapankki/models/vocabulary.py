"""The domain thesaurus (SKOS-shaped): concepts, their labels in fi/sv/en, links, and its audit log.

Search expands queries through it at query time (ideapankki.search.thesaurus), so an edit
changes results without a reindex. Every change moves VocabularyState.version in the same
transaction: each worker compares it before a search and reloads when it moved.
"""

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import _timestamp

LABEL_KINDS = ("pref", "alt", "hidden")  # skos:prefLabel, skos:altLabel, skos:hiddenLabel
LINK_KINDS = ("broader", "related")  # skos:broader (narrower is its inverse), skos:related
VOCABULARY_LANGUAGES = ("fi", "sv", "en")


class VocabularyConcept(SQLModel, table=True):
    """A concept; KEY is its stable identifier in files, URIs and links."""

    __tablename__ = "vocabulary_concept"

    id: Optional[int] = Field(default=None, primary_key=True)
    key: str = Field(max_length=80, unique=True)
    # a theme's or a region's own concept: its name also finds the theme's or region's entries
    theme_slug: Optional[str] = Field(default=None, max_length=40, foreign_key="theme.slug")
    region_code: Optional[str] = Field(default=None, max_length=8)
    exact_match: str = Field(default="", sa_type=sa.Text)  # skos:exactMatch URIs, one per line
    note: str = Field(default="", sa_type=sa.Text)  # skos:scopeNote, Finnish
    updated_at: datetime = _timestamp()


class VocabularyLabel(SQLModel, table=True):
    """A label of a concept: preferred (one per language), alternative or hidden."""

    __tablename__ = "vocabulary_label"

    id: Optional[int] = Field(default=None, primary_key=True)
    concept_id: int = Field(foreign_key="vocabulary_concept.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=8)
    language: str = Field(max_length=2)
    text: str = Field(max_length=200)
    position: int = 0  # the order in the file, kept for a lossless round trip

    __table_args__ = (
        sa.UniqueConstraint("concept_id", "language", "text", name="uq_vocabulary_label"),
        sa.CheckConstraint("kind IN ('pref', 'alt', 'hidden')", name="ck_vocabulary_label_kind"),
        sa.CheckConstraint("language IN ('fi', 'sv', 'en')", name="ck_vocabulary_label_language"),
    )


class VocabularyLink(SQLModel, table=True):
    """CONCEPT skos:broader or skos:related TARGET."""

    __tablename__ = "vocabulary_link"

    id: Optional[int] = Field(default=None, primary_key=True)
    concept_id: int = Field(foreign_key="vocabulary_concept.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=8)
    target_id: int = Field(foreign_key="vocabulary_concept.id", index=True, ondelete="CASCADE")
    position: int = 0

    __table_args__ = (
        sa.UniqueConstraint("concept_id", "kind", "target_id", name="uq_vocabulary_link"),
        sa.CheckConstraint("kind IN ('broader', 'related')", name="ck_vocabulary_link_kind"),
    )


class VocabularyState(SQLModel, table=True):
    """One row: the thesaurus' version, moved by every change (read before each search)."""

    __tablename__ = "vocabulary_state"

    id: int = Field(default=1, primary_key=True)
    version: int = 0


class VocabularyChange(SQLModel, table=True):
    """Audit log of the thesaurus: who changed which concept, when, and how (a short summary)."""

    __tablename__ = "vocabulary_change"

    id: Optional[int] = Field(default=None, primary_key=True)
    concept_key: str = Field(max_length=80, index=True)
    action: str = Field(max_length=10)
    actor_id: Optional[int] = Field(default=None, foreign_key="account.id")
    summary: str = Field(default="", sa_type=sa.Text)
    at: datetime = _timestamp()

    __table_args__ = (
        sa.CheckConstraint("action IN ('create', 'update', 'delete', 'seed', 'import')",
                           name="ck_vocabulary_change_action"),
    )
