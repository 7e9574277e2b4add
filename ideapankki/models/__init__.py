"""Database tables (SQLModel) and the closed vocabularies they use.

No Flask here: the domain, the CLI and the tests use these directly.
Enumerations are stored as short strings guarded by CHECK constraints rather than
native enum types, so SQLite and PostgreSQL share one schema and one migration path.
One module per area; everything is imported from `ideapankki.models`.
"""

from .base import (
    as_utc,
    utcnow,
    EntryType,
    EntryState,
    Language,
    PracticeStatus,
    TrialStatus,
    NormAction,
    NormStatus,
    RelationKind,
    AdoptionStatus,
    ProposerRole,
    Role,
    OrganisationKind,
    ModeratorNotices,
)
from .register import Municipality, Theme
from .accounts import Organisation, User, LoginAttempt, RateEvent
from .entries import (
    Entry,
    EntryMunicipality,
    EntryTheme,
    EntryTag,
    LawReference,
    Contact,
    EntryLink,
    EntryRelation,
    NormStatusEvent,
    OWN_DATE,
)
from .history import Revision, Transition, EntryChange
from .programmes import Programme, ProgrammeMunicipality, ProgrammeLink
from .mail import OutboxMail
from .adoptions import Adoption
from .reports import Report, ReportAction, ReportReason
from .follow import EventKind, FollowEvent, FollowKind, Follower, Frequency, NotifyCursor, Subscription
from .vocabulary import (VocabularyConcept, VocabularyLabel, VocabularyLink, VocabularyState, VocabularyChange,
                         LABEL_KINDS, LINK_KINDS, VOCABULARY_LANGUAGES)

__all__ = [
    "VocabularyConcept",
    "VocabularyLabel",
    "VocabularyLink",
    "VocabularyState",
    "VocabularyChange",
    "LABEL_KINDS",
    "LINK_KINDS",
    "VOCABULARY_LANGUAGES",
    "as_utc",
    "utcnow",
    "EntryType",
    "EntryState",
    "Language",
    "PracticeStatus",
    "TrialStatus",
    "NormAction",
    "NormStatus",
    "RelationKind",
    "AdoptionStatus",
    "ProposerRole",
    "Role",
    "OrganisationKind",
    "ModeratorNotices",
    "Municipality",
    "Theme",
    "Organisation",
    "User",
    "LoginAttempt",
    "RateEvent",
    "Entry",
    "EntryMunicipality",
    "EntryTheme",
    "EntryTag",
    "LawReference",
    "Contact",
    "EntryLink",
    "EntryRelation",
    "NormStatusEvent",
    "OWN_DATE",
    "Revision",
    "Transition",
    "EntryChange",
    "Programme",
    "ProgrammeMunicipality",
    "ProgrammeLink",
    "OutboxMail",
    "Adoption",
    "Report",
    "ReportAction",
    "ReportReason",
    "EventKind",
    "FollowEvent",
    "FollowKind",
    "Follower",
    "Frequency",
    "NotifyCursor",
    "Subscription",
]
