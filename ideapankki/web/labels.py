"""Translated display names of the closed vocabularies (types, states, themes, statuses)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .i18n import language
from ..models import EntryState, EntryType, Language, Municipality, NormStatus, Role, TrialStatus

TYPE_LABELS = {
    EntryType.practice.value: _l("Practice"),
    EntryType.idea.value: _l("Idea"),
    EntryType.norm.value: _l("Norm proposal"),
}
TYPE_PLURALS = {
    EntryType.practice.value: _l("Trials and practices"),
    EntryType.idea.value: _l("Ideas"),
    EntryType.norm.value: _l("Norm proposals"),
}
STATE_LABELS = {
    EntryState.draft.value: _l("Draft"),
    EntryState.submitted.value: _l("Submitted"),
    EntryState.in_review.value: _l("In review"),
    EntryState.published.value: _l("Published"),
    EntryState.returned.value: _l("Returned"),
    EntryState.rejected.value: _l("Rejected"),
    EntryState.archived.value: _l("Archived"),
}
TRIAL_STATUS_LABELS = {
    TrialStatus.planned.value: _l("Planned"),
    TrialStatus.ongoing.value: _l("Ongoing"),
    TrialStatus.ended.value: _l("Ended"),
}
# (kind, direction) → how the link reads on the entry page, from this entry's side
RELATION_LABELS = {
    ("led_to", "outgoing"): _l("Led to"),
    ("led_to", "incoming"): _l("Grew out of the idea"),
    ("needs_norm_change", "outgoing"): _l("Needs a norm change"),
    ("needs_norm_change", "incoming"): _l("Needs this change"),
    ("based_on", "outgoing"): _l("Based on"),
    ("based_on", "incoming"): _l("Basis for"),
    ("similar_to", "outgoing"): _l("Similar to"),
    ("similar_to", "incoming"): _l("Similar to"),
    ("translation_of", "outgoing"): _l("In another language"),
    ("translation_of", "incoming"): _l("In another language"),
    ("adapted_from", "outgoing"): _l("Adapted from"),
    ("adapted_from", "incoming"): _l("Adapted elsewhere as"),
}
NORM_STATUS_LABELS = {
    NormStatus.sent_to_ministry.value: _l("Sent to the ministry"),
    NormStatus.impact_assessment.value: _l("Impact being assessed"),
    NormStatus.government_bill.value: _l("In a government bill"),
    NormStatus.law_changed.value: _l("Law changed"),
    NormStatus.not_proceeding.value: _l("Not proceeding"),
}
NORM_ACTION_LABELS = {
    "remove": _l("Remove the rule"),
    "loosen": _l("Loosen the rule"),
    "trial_exemption": _l("An exemption for a trial"),
    "reform": _l("Reform the task"),
}
PROPOSER_ROLE_LABELS = {
    "official": _l("a municipal official"),
    "elected": _l("an elected member"),
    "other": _l("other"),
}
ROLE_LABELS = {
    Role.member.value: _l("Member"),
    Role.moderator.value: _l("Moderator"),
    Role.admin.value: _l("Administrator"),
}
LANGUAGE_LABELS = {
    Language.fi.value: _l("Finnish"),
    Language.sv.value: _l("Swedish"),
    Language.en.value: _l("English"),
}
# Each language's name in itself, for the language switcher.
LANGUAGE_ENDONYMS = {"fi": "Suomeksi", "sv": "På svenska", "en": "In English"}
THEME_LABELS = {
    "tyollisyys": _l("Employment"),
    "koulutus": _l("Education and early childhood education"),
    "sosiaali-ja-terveys": _l("Social and health services"),
    "asuminen": _l("Housing"),
    "elinvoima": _l("Vitality and business"),
    "digitalisaatio": _l("Digitalisation"),
    "hallinto": _l("Administration and democracy"),
    "ymparisto": _l("Environment and land use"),
    "nuoret": _l("Young people"),
    "maahanmuutto": _l("Immigration and integration"),
}


def municipality_name(municipality: Municipality) -> str:
    """Return the municipality's name in the reader's language (Swedish name for sv)."""
    return municipality.name_sv if language() == "sv" else municipality.name_fi


def region_name(name_fi: str, name_sv: str) -> str:
    """Return a region's name in the reader's language."""
    return name_sv if language() == "sv" else name_fi
