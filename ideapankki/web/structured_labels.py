"""Translated names of the structured description: practice statuses, evidence levels, section headings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

PRACTICE_STATUS_LABELS = {
    "ongoing": _l("Ongoing"),
    "ended": _l("Ended"),
    "permanent": _l("Made permanent"),
}
# Nesta standards of evidence, 1–5: the short name and what it means
EVIDENCE_LABELS = {
    1: _l("1 – Described"),
    2: _l("2 – Change measured"),
    3: _l("3 – Causality shown"),
    4: _l("4 – Independently replicated"),
    5: _l("5 – Ready to scale"),
}
EVIDENCE_MEANINGS = {
    1: _l("What is done and why is described."),
    2: _l("Data show a change among those it served."),
    3: _l("A comparison group shows that the practice caused the change."),
    4: _l("An independent evaluation, or another place, found the same result."),
    5: _l("Manuals, costs and quality assurance let others take it up."),
}
EVIDENCE_FACET_LABELS = {str(level): label for level, label in EVIDENCE_LABELS.items()}
