"""The structured description of an entry: the content format's optional keys per type, and contacts.

A practice's goals, target groups, resources, results (indicators), evaluation, lessons,
transferability, status now and evidence level; an idea's problem, solution, beneficiaries,
needs and next steps; a norm proposal's authority and the response it received. Pure, no
database: `read` validates the keys of a front-matter mapping into a plain dict (the document's
`details`), `write` puts them back in canonical order, `to_json`/`from_json` convert that dict
for the entry's JSON column. The contract is docs/content-format.md.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Callable

from . import content_values as v
from .models import EntryType, PracticeStatus

EVIDENCE_LEVELS = (1, 2, 3, 4, 5)  # Nesta standards of evidence: 1 described … 5 ready to scale
PRACTICE_KEYS = ("practice_status", "evidence_level", "evidence_proposed", "goals", "target_groups", "resources",
                 "results", "evaluation", "lessons", "transferability")
IDEA_KEYS = ("problem", "solution", "beneficiaries", "needs", "next_steps")
NORM_KEYS = ("authority", "response")
KEYS_BY_TYPE = {EntryType.practice.value: PRACTICE_KEYS, EntryType.idea.value: IDEA_KEYS,
                EntryType.norm.value: NORM_KEYS}
KEYS = PRACTICE_KEYS + IDEA_KEYS + NORM_KEYS
RESOURCE_KEYS = ("person_years", "euros", "duration", "funding")
RESULT_KEYS = ("indicator", "value", "unit", "baseline", "period", "source")
EVALUATION_KEYS = ("evaluator", "method", "report")
TRANSFER_KEYS = ("size", "partners", "legal_basis", "systems")
RESPONSE_KEYS = ("text", "date", "url")
CONTACT_KEYS = ("name", "role", "organisation", "email", "phone", "agreed")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()-]{4,24}$")
ONE_LINE = {"duration", "indicator", "unit", "period", "authority", "evaluator"}
NUMBERS = {"person_years", "euros", "value", "baseline"}
URLS = {"source", "report", "url"}


def read(data: dict, entry_type: str, fail: Callable) -> dict[str, Any]:
    """The structured keys of DATA validated (absent and null ones left out), in canonical order."""
    details: dict[str, Any] = {}
    for key in KEYS:
        if data.get(key) is None:
            continue
        if key not in KEYS_BY_TYPE[entry_type]:
            owner = next(t for t, keys in KEYS_BY_TYPE.items() if key in keys)
            raise fail(key, f"only allowed for type {owner}")
        details[key] = _value(key, data[key], fail)
    return details


def _value(key: str, value: Any, fail: Callable) -> Any:
    if key == "practice_status":
        return v.choice(value, PracticeStatus, key, fail)
    if key in ("evidence_level", "evidence_proposed"):
        if isinstance(value, bool) or value not in EVIDENCE_LEVELS:
            raise fail(key, f"{value!r} is not an evidence level (a whole number 1–5)")
        return value
    if key == "target_groups":
        return v.strings(value, key, fail)
    if key == "results":
        if not isinstance(value, list):
            raise fail(key, "must be a list")
        return [_fields(item, f"results[{i}]", RESULT_KEYS, fail, required=("indicator", "value"))
                for i, item in enumerate(value)]
    keys = {"resources": RESOURCE_KEYS, "evaluation": EVALUATION_KEYS, "transferability": TRANSFER_KEYS,
            "response": RESPONSE_KEYS}.get(key)
    if keys:
        fields = _fields(value, key, keys, fail)
        if not fields:
            raise fail(key, f"give at least one of: {', '.join(keys)}")
        return fields
    return v.line(value, key, fail) if key in ONE_LINE else v.text(value, key, fail)


def _fields(value: Any, where: str, allowed: tuple[str, ...], fail: Callable, required: tuple[str, ...] = ()) -> dict:
    fields = v.mapping(value, where, allowed, fail, required)
    for sub, item in fields.items():
        key = f"{where}.{sub}"
        if sub in NUMBERS:
            fields[sub] = v.number(item, key, fail)
        elif sub in URLS:
            fields[sub] = v.url(item, key, fail)
        elif sub == "date":
            fields[sub] = v.a_date(item, key, fail)
        else:
            fields[sub] = v.line(item, key, fail) if sub in ONE_LINE else v.text(item, key, fail)
    return fields


def contacts(value: Any, fail: Callable) -> list[dict[str, Any]]:
    """Contacts: `name` required; `agreed: false` when the person has not agreed to publication
    (absent: agreed, as for every contact an operator imports)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise fail("contacts", "must be a list")
    records = []
    for i, item in enumerate(value):
        where = f"contacts[{i}]"
        fields = v.mapping(item, where, CONTACT_KEYS, fail, required=("name",))
        agreed = fields.pop("agreed", True)
        if not isinstance(agreed, bool):
            raise fail(f"{where}.agreed", "must be true or false (did the person agree to publication?)")
        fields = {sub: v.line(item, f"{where}.{sub}", fail) for sub, item in fields.items()}
        if "email" in fields and not EMAIL_RE.match(fields["email"]):
            raise fail(f"{where}.email", f"{fields['email']!r} is not an e-mail address")
        if "phone" in fields and not PHONE_RE.match(fields["phone"]):
            raise fail(f"{where}.phone", f"{fields['phone']!r} is not a telephone number like +358 40 123 4567")
        records.append({**fields, **({} if agreed else {"agreed": False})})
    return records


def shown_contacts(records: list) -> list:
    """The contacts that may be published (dicts or Contact rows): those whose person agreed."""
    return [c for c in records if (c.get("agreed", True) if isinstance(c, dict) else c.agreed)]


def write(details: dict[str, Any]) -> dict[str, Any]:
    """DETAILS in canonical key order (inner keys in their table's order), for serialising."""
    order = {"resources": RESOURCE_KEYS, "evaluation": EVALUATION_KEYS, "transferability": TRANSFER_KEYS,
             "response": RESPONSE_KEYS}
    out: dict[str, Any] = {}
    for key in KEYS:
        if key not in details:
            continue
        value = details[key]
        if key in order:
            value = {sub: value[sub] for sub in order[key] if sub in value}
        elif key == "results":
            value = [{sub: row[sub] for sub in RESULT_KEYS if sub in row} for row in value]
        elif key == "target_groups":
            value = list(value)
        out[key] = value
    return out


# The CSV's columns for the structured description (exports.CSV_FIELDS), each (name, meaning).
CSV_FIELDS = [
    ("evidence_level", "evidence level a moderator confirmed, 1–5 (Nesta standards; practices)"),
    ("practice_status", "a practice's status now: ongoing, ended or permanent"),
    ("goals", "a practice's goals"),
    ("target_groups", "its target groups, separated by ;"),
    *[(f"resources_{key}", meaning) for key, meaning in (
        ("person_years", "work in person-years"), ("euros", "costs in euros"), ("duration", "duration"),
        ("funding", "source of funding"))],
    ("results", "results as indicators: indicator = value unit (baseline, period, source); several separated by |"),
    *[(f"evaluation_{key}", meaning) for key, meaning in (
        ("evaluator", "who evaluated it"), ("method", "method of evaluation"), ("report", "evaluation report URL"))],
    ("lessons", "lessons learned"),
    *[(f"transferability_{key}", meaning) for key, meaning in (
        ("size", "size of municipality it suits"), ("partners", "partners needed"), ("legal_basis", "legal basis"),
        ("systems", "information systems needed"))],
    *[(key, f"{meaning} (ideas)") for key, meaning in (
        ("problem", "the problem"), ("solution", "proposed solution"), ("beneficiaries", "who would benefit"),
        ("needs", "what is needed to try it"), ("next_steps", "next steps"))],
    ("authority", "ministry or authority a norm proposal concerns"),
    *[(f"response_{key}", f"the response it received: {key}") for key in RESPONSE_KEYS],
    ("contacts", "contacts who agreed to publication: name, role, organisation, e-mail, phone; several separated by |"),
]


def csv_cells(record: dict) -> dict:
    """The structured columns of an entry record (opendata.entry_record), as text or numbers."""
    details = record.get("details") or {}
    cells = {"evidence_level": record.get("evidence_level"), "target_groups": ";".join(details.get("target_groups", []))}
    for key in ("practice_status", "goals", "lessons", *IDEA_KEYS, "authority"):
        cells[key] = details.get(key)
    for group in ("resources", "evaluation", "transferability", "response"):
        for sub, value in details.get(group, {}).items():
            cells[f"{group}_{sub}"] = value
    cells["results"] = " | ".join(
        f"{r['indicator']} = {r['value']}{' ' + r['unit'] if 'unit' in r else ''}"
        + (f" ({', '.join(str(r[k]) for k in ('baseline', 'period', 'source') if k in r)})"
           if any(k in r for k in ('baseline', 'period', 'source')) else "")
        for r in details.get("results", []))
    cells["contacts"] = " | ".join(", ".join(filter(None, (c["name"], c.get("role"), c.get("organisation"),
                                                           c.get("email"), c.get("phone"))))
                                   for c in record.get("contacts", []))
    return cells


def to_json(details: dict[str, Any]) -> dict[str, Any] | None:
    """DETAILS for a JSON column or document (the response's date as YYYY-MM-DD); None when empty."""
    out = write(details)
    if isinstance(out.get("response", {}).get("date"), date):
        out["response"] = {**out["response"], "date": out["response"]["date"].isoformat()}
    return out or None


def from_json(data: dict[str, Any] | None) -> dict[str, Any]:
    """The inverse of to_json."""
    out = write(dict(data or {}))
    if isinstance(out.get("response", {}).get("date"), str):
        out["response"] = {**out["response"], "date": date.fromisoformat(out["response"]["date"])}
    return out
