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
# The parts of a grouped field (resources, results, evaluation, transferability, response, contacts)
# by their content-format key, named as the entry form and the entry page name them. The review
# page and the field diff (field_labels.show) and the entry page (_structured.html) read them here.
PART_LABELS = {
    "details.resources.person_years": _l("Work (person-years)"), "details.resources.euros": _l("Costs (euros)"),
    "details.resources.duration": _l("Duration"), "details.resources.funding": _l("Source of funding"),
    "details.results.indicator": _l("Indicator"), "details.results.value": _l("Value"),
    "details.results.unit": _l("Unit"), "details.results.baseline": _l("Baseline"),
    "details.results.period": _l("Period measured"), "details.results.source": _l("Source"),
    "details.evaluation.evaluator": _l("Who evaluated it"), "details.evaluation.method": _l("Method of evaluation"),
    "details.evaluation.report": _l("Evaluation report"),
    "details.transferability.size": _l("Size of municipality it suits"),
    "details.transferability.partners": _l("Partners needed"), "details.transferability.legal_basis": _l("Legal basis"),
    "details.transferability.systems": _l("Information systems needed"),
    "details.response.text": _l("Response received"), "details.response.date": _l("Date of the response"),
    "details.response.url": _l("Address of the response"),
    "contacts.name": _l("Name"), "contacts.role": _l("Role"), "contacts.organisation": _l("Organisation"),
    "contacts.email": _l("E-mail address"), "contacts.phone": _l("Telephone"),
    "contacts.agreed": _l("Agreed to publication"),
}
YES_NO = {True: _l("yes"), False: _l("no")}


def part_label(group: str, part: str) -> str:
    """The label of PART of the grouped field GROUP (e.g. "details.resources", "euros")."""
    return str(PART_LABELS.get(f"{group}.{part}", part))
