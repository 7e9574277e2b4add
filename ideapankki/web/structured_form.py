"""The entry form's structured fields: results, resources, evaluation, contacts… ⇄ the content format.

`StructuredFields` is mixed into forms.EntryForm; `add_to_mapping` writes the fields of the
entry's type into the front-matter mapping that content.from_mapping validates, `fill` puts a
document back, and `place_error` lands a content error (results[1].value, contacts[0].email…) on
its field. Numbers may be written the Finnish way (1 234,5); what cannot be read as a number is
passed on as typed, so the content format's own error names the field.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _, lazy_gettext as _l
from wtforms import BooleanField, DateField, FieldList, Form, FormField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from ..content import EntryDocument
from ..models import EntryType
from .forms import EntryForm, choices
from .structured_labels import EVIDENCE_LABELS, PRACTICE_STATUS_LABELS

TEXTS = {"practice": ("goals", "lessons"), "idea": ("problem", "solution", "beneficiaries", "needs", "next_steps"),
         "norm": ("authority",)}
GROUPS = {"resources": ("person_years", "euros", "duration", "funding"),
          "evaluation": ("evaluator", "method", "report"),
          "transferability": ("size", "partners", "legal_basis", "systems")}
RESULT_FIELDS = ("indicator", "value", "unit", "baseline", "period", "source")
CONTACT_FIELDS = ("name", "role", "organisation", "email", "phone")
NUMBER_FIELDS = {"person_years", "euros", "value", "baseline"}


def _text(label, max_length=5000, description=None, area=False):
    kind = TextAreaField if area else StringField
    return kind(label, validators=[Optional(), Length(max=max_length)], description=description)


class ResultRow(Form):
    """One indicator of a practice's results (CSRF is the outer form's)."""

    indicator = _text(_l("Indicator"), 300, _l("What was measured, e.g. Share employed within six months."))
    value = _text(_l("Value"), 40, _l("A number, e.g. 35 or 12,5."))
    unit = _text(_l("Unit"), 100, _l("e.g. %, persons, euros"))
    baseline = _text(_l("Baseline"), 40, _l("The value before the practice, if known."))
    period = _text(_l("Period measured"), 100, _l("e.g. 2021–2023"))
    source = _text(_l("Source"), 2000, _l("The address of the report or data, https://…"))


class ContactRow(Form):
    """One contact person; shown only with their consent."""

    name = _text(_l("Name"), 200)
    role = _text(_l("Role"), 200)
    organisation = _text(_l("Organisation"), 300)
    email = _text(_l("E-mail address"), 254)
    phone = _text(_l("Telephone"), 40, _l("e.g. +358 40 123 4567"))
    agreed = BooleanField(_l("The person has agreed that their contact details are published"))


class StructuredFields:
    """The structured fields of the three types; the template shows those of the entry's type."""

    practice_status = SelectField(_l("Status of the practice now"), validate_choice=False,
                                  choices=choices({"": "–", **PRACTICE_STATUS_LABELS}))
    evidence_proposed = SelectField(_l("Evidence level you propose"), validate_choice=False,
                                    choices=choices({"": "–", **{str(k): v for k, v in EVIDENCE_LABELS.items()}}),
                                    description=_l("How strong the evidence is that the practice works. A moderator "
                                                   "confirms the level that is shown."))
    goals = _text(_l("Goals"), 10_000, _l("What the practice aims at."), area=True)
    target_groups = _text(_l("Target groups"), 2000, _l("One per line, e.g. long-term unemployed."), area=True)
    person_years = _text(_l("Work (person-years)"), 40, _l("A number, e.g. 2,5."))
    euros = _text(_l("Costs (euros)"), 40, _l("A number without the euro sign, e.g. 120000."))
    duration = _text(_l("Duration"), 200, _l("e.g. 28 months"))
    funding = _text(_l("Source of funding"), 2000)
    results = FieldList(FormField(ResultRow), min_entries=3, max_entries=20)
    evaluator = _text(_l("Who evaluated it"), 300)
    method = _text(_l("Method of evaluation"), 5000, area=True)
    report = _text(_l("Evaluation report"), 2000, _l("Its address, https://…"))
    lessons = _text(_l("Lessons learned"), 10_000, area=True)
    size = _text(_l("Size of municipality it suits"), 2000)
    partners = _text(_l("Partners needed"), 2000, area=True)
    legal_basis = _text(_l("Legal basis"), 2000, area=True)
    systems = _text(_l("Information systems needed"), 2000, area=True)
    problem = _text(_l("Problem"), 10_000, area=True)
    solution = _text(_l("Proposed solution"), 10_000, area=True)
    beneficiaries = _text(_l("Who would benefit"), 5000, area=True)
    needs = _text(_l("What is needed to try it"), 5000, area=True)
    next_steps = _text(_l("Next steps"), 5000, area=True)
    authority = _text(_l("Ministry or authority concerned"), 300, _l("e.g. Opetus- ja kulttuuriministeriö"))
    response_text = _text(_l("Response received"), 10_000, area=True)
    response_date = DateField(_l("Date of the response"), validators=[Optional()])
    response_url = _text(_l("Address of the response"), 2000, _l("https://…"))
    contacts = FieldList(FormField(ContactRow), min_entries=2, max_entries=10)


class StructuredEntryForm(StructuredFields, EntryForm):
    """The entry form with the structured fields."""


# The fields of one type only (forms.EntryForm's and the structured ones): the templates show a
# form's own type's (submit/form.html, _structured.html), and code that reads them asks by type.
OWN_FIELDS = {
    "practice": ("period_start", "period_end", "trial_status", "practice_status", "evidence_proposed", "goals",
                 "target_groups", "person_years", "euros", "duration", "funding", "results", "evaluator", "method",
                 "report", "lessons", "size", "partners", "legal_basis", "systems"),
    "idea": ("origin", "problem", "solution", "beneficiaries", "needs", "next_steps"),
    "norm": ("action", "justification", "savings", "time", "people", "proposer_role", "authority", "response_text",
             "response_date", "response_url"),
}
# Each type's form without the other types' fields (None removes an inherited field in WTForms):
# binding all 97 fields, three empty rows of results among them, cost every post and page about
# 2 ms, half of it for fields the type never shows.
TYPE_FORMS = {kind: type(f"{kind.title()}EntryForm", (StructuredEntryForm,),
                         {name: None for other, names in OWN_FIELDS.items() if other != kind for name in names})
              for kind in OWN_FIELDS}


def has(form, name: str) -> bool:
    """Whether FORM (one type's) has the field NAME."""
    return getattr(form, name, None) is not None


def _number(text: str | None):
    """TEXT as a number if it reads as one (1 234,5 → 1234.5), else as typed (the format says why not)."""
    if not text or not text.strip():
        return None
    plain = re.sub(r"[\s\u00a0]", "", text).replace(",", ".")
    if re.fullmatch(r"[0-9]+", plain):
        return int(plain)
    if re.fullmatch(r"[0-9]*\.[0-9]+", plain):
        return float(plain)
    return text.strip()


def _filled(rows, names) -> list:
    return [row.form for row in rows if any((getattr(row.form, n).data or "").strip() for n in names)]


def add_to_mapping(form, entry_type: str, data: dict) -> None:
    """Add the structured fields of ENTRY_TYPE, and the contacts, to the front-matter mapping DATA."""
    value = lambda name: (getattr(form, name).data or "").strip() or None  # noqa: E731
    for name in TEXTS.get(entry_type, ()):
        data[name] = value(name)
    data["contacts"] = [{**{n: (getattr(row, n).data or "").strip() or None for n in CONTACT_FIELDS},
                         **({} if row.agreed.data else {"agreed": False})}
                        for row in _filled(form.contacts, CONTACT_FIELDS)]
    if entry_type == EntryType.practice.value:
        data["practice_status"] = value("practice_status")
        data["evidence_proposed"] = int(form.evidence_proposed.data) if form.evidence_proposed.data in (
            "1", "2", "3", "4", "5") else None
        data["target_groups"] = [line.strip() for line in (form.target_groups.data or "").splitlines()
                                 if line.strip()] or None
        for group, names in GROUPS.items():
            fields = {n: _number(value(n)) if n in NUMBER_FIELDS else value(n) for n in names}
            data[group] = fields if any(v is not None for v in fields.values()) else None
        data["results"] = [{n: _number(getattr(row, n).data) if n in NUMBER_FIELDS else
                            (getattr(row, n).data or "").strip() or None for n in RESULT_FIELDS}
                           for row in _filled(form.results, RESULT_FIELDS)] or None
    elif entry_type == EntryType.norm.value:
        response = {"text": value("response_text"), "url": value("response_url"),
                    "date": form.response_date.data.isoformat() if form.response_date.data else None}
        data["response"] = response if any(response.values()) else None


def fill(form, doc: EntryDocument) -> None:
    """Put DOC's structured fields and contacts into the form (those of its type the form has)."""
    details = doc.details
    for name in ("goals", "lessons", "problem", "solution", "beneficiaries", "needs", "next_steps", "authority",
                 "practice_status"):
        if has(form, name):
            getattr(form, name).data = details.get(name)
    if has(form, "results"):  # a practice's
        form.evidence_proposed.data = str(details["evidence_proposed"]) if details.get("evidence_proposed") else ""
        form.target_groups.data = "\n".join(details.get("target_groups", []))
        for group, names in GROUPS.items():
            for name in names:
                item = details.get(group, {}).get(name)
                getattr(form, name).data = _shown_number(item) if name in NUMBER_FIELDS else item
        _rows(form.results, details.get("results", []),
              lambda row, item: [setattr(getattr(row, n), "data", _shown_number(item.get(n)) if n in NUMBER_FIELDS
                                         else item.get(n)) for n in RESULT_FIELDS])
    if has(form, "response_text"):  # a norm's
        response = details.get("response", {})
        form.response_text.data, form.response_url.data = response.get("text"), response.get("url")
        form.response_date.data = response.get("date")
    _rows(form.contacts, doc.contacts, lambda row, item: [
        *[setattr(getattr(row, n), "data", item.get(n)) for n in CONTACT_FIELDS],
        setattr(row.agreed, "data", item.get("agreed", True))])


def _rows(field_list, items: list, put) -> None:
    while len(field_list) < min(len(items) + 1, field_list.max_entries):
        field_list.append_entry()
    for row, item in zip(field_list, items):
        put(row.form, item)


def _shown_number(value) -> str | None:
    """A stored number as a person writes it in the form (12,5)."""
    return None if value is None else str(value).replace(".", ",")


def place_error(form, key: str, message: str) -> bool:
    """Put MESSAGE on the field content error KEY names; False when KEY is not a structured one."""
    found = re.match(r"(results|contacts)\[(\d+)\](?:\.(\w+))?$", key)
    if found:
        names = RESULT_FIELDS if found.group(1) == "results" else CONTACT_FIELDS + ("agreed",)
        rows = _filled(getattr(form, found.group(1)), RESULT_FIELDS if found.group(1) == "results" else CONTACT_FIELDS)
        row = rows[int(found.group(2))]
        getattr(row, found.group(3) if found.group(3) in names else names[0]).errors.append(message)
        return True
    head, _dot, sub = key.partition(".")
    if head in GROUPS:
        getattr(form, sub if sub in GROUPS[head] else GROUPS[head][0]).errors.append(message)
        return True
    if head == "response":
        getattr(form, f"response_{sub}" if sub in ("text", "date", "url") else "response_text").errors.append(message)
        return True
    if head == "target_groups" or head in StructuredFields.__dict__:
        getattr(form, head).errors.append(message)
        return True
    return False


def message(key: str, detail: str) -> str:
    """A reader's message for a content error in a structured field (DETAIL is the operator's English)."""
    last = re.sub(r"\[\d+\]", "", key).rpartition(".")[2]
    if "required" in detail:
        return _("This field is required.")
    if last in NUMBER_FIELDS:
        return _("Write a number, e.g. 12,5 (without units).")
    if last in ("source", "report", "url"):
        return _("Write an address starting with https:// or http://.")
    if last == "email":
        return _("Write an e-mail address like name@kunta.fi.")
    if last == "phone":
        return _("Write a telephone number like +358 40 123 4567.")
    if "single line" in detail:
        return _("Write this on one line.")
    if "listed twice" in detail:
        return _("The same target group is listed twice.")
    return _("Check this field: %(detail)s", detail=detail)
