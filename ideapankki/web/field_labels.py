"""The content format's fields and values in the reader's language, for ideapankki.fielddiff.

The field diff and the review page read a document as (key, text) pairs; here each key gets its
label and each vocabulary value (themes, statuses, relation kinds…) its name. A key without a
label here (a field added to the format) shows under its key until it is given one.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import format_date, format_decimal, lazy_gettext as _l

from .. import fielddiff
from . import labels
from .structured_labels import EVIDENCE_LABELS, PART_LABELS, PRACTICE_STATUS_LABELS, YES_NO

FIELD_LABELS = {
    "title": _l("Title"), "summary": _l("Summary"), "body": _l("Description"), "language": _l("Language"),
    "municipalities": _l("Municipalities"), "themes": _l("Themes"), "tags": _l("Keywords"),
    "period_start": _l("Start"), "period_end": _l("End"), "trial_status": _l("Trial status"),
    "programme": _l("Trial programme"), "origin": _l("Origin"),
    "proposal.action": _l("Proposed action"), "proposal.justification": _l("Why?"),
    "proposal.savings": _l("Expected savings"), "proposal.time": _l("Time saved"),
    "proposal.people": _l("People affected"), "proposal.proposer_role": _l("Proposed by"),
    "laws": _l("Laws and regulations"), "contacts": _l("Contacts"), "links": _l("Links"),
    "relations": _l("Related entries"),
    # the structured description (ideapankki.structured), as the form names its parts
    "details.practice_status": _l("Status of the practice now"), "details.evidence_level": _l("Evidence level"),
    "details.evidence_proposed": _l("Evidence level you propose"), "details.goals": _l("Goals"),
    "details.target_groups": _l("Target groups"), "details.resources": _l("Resources"),
    "details.results": _l("Results"), "details.evaluation": _l("Evaluation"), "details.lessons": _l("Lessons learned"),
    "details.transferability": _l("What another municipality needs"), "details.problem": _l("Problem"),
    "details.solution": _l("Proposed solution"), "details.beneficiaries": _l("Who would benefit"),
    "details.needs": _l("What is needed to try it"), "details.next_steps": _l("Next steps"),
    "details.authority": _l("Ministry or authority concerned"), "details.response": _l("Response received"),
}
_VALUES = {
    "themes": labels.THEME_LABELS, "trial_status": labels.TRIAL_STATUS_LABELS, "language": labels.LANGUAGE_LABELS,
    "proposal.action": labels.NORM_ACTION_LABELS, "proposal.proposer_role": labels.PROPOSER_ROLE_LABELS,
    "relations.kind": {kind: text for (kind, side), text in labels.RELATION_LABELS.items() if side == "outgoing"},
    "details.practice_status": PRACTICE_STATUS_LABELS, "details.evidence_level": EVIDENCE_LABELS,
    "details.evidence_proposed": EVIDENCE_LABELS,
}


def label(key: str) -> str:
    """KEY's label in the reader's language."""
    return str(FIELD_LABELS.get(key, key))


def show(key: str, value: Any) -> str:
    """One VALUE of KEY as the reader reads it (a theme's name, a date in their language); a part of a
    grouped field (resources, results, contacts…) with its label: "Costs (euros): 120000"."""
    if isinstance(value, bool):
        text = str(YES_NO[value])
    elif isinstance(value, date):
        text = format_date(value, "long")
    elif key in _VALUES:
        text = str(_VALUES[key].get(value, value))
    elif isinstance(value, (int, float)):
        text = format_decimal(value)
    else:
        text = str(value)
    part = PART_LABELS.get(key)
    return f"{part}: {text}" if part else text


def texts(doc) -> list[tuple[str, str]]:
    """Every non-empty field of DOC as (key, text) in the reader's language."""
    return fielddiff.fields(doc, show)


TEMPLATE_GLOBALS = {"field_label": label, "field_value": show, "field_texts": texts}
