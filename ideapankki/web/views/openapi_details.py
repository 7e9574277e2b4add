"""The OpenAPI schema of an entry's structured description (`details`; docs/content-format.md)."""

from __future__ import annotations


def _array(items: dict) -> dict:
    return {"type": "array", "items": items}


def _fields(properties: dict, required: tuple[str, ...] = ()) -> dict:
    return {"type": "object", "additionalProperties": False, "properties": properties, "required": list(required)}


TEXT = {"type": "string"}
NUMBER = {"type": "number", "minimum": 0}
URL = {"type": "string", "format": "uri"}
# An entry's structured description (docs/content-format.md): only the keys its author filled are present.
DETAILS = {"type": "object", "additionalProperties": False, "properties": {
    "practice_status": {"type": "string", "enum": ["ongoing", "ended", "permanent"]},
    "goals": TEXT, "target_groups": _array(TEXT),
    "resources": _fields({"person_years": NUMBER, "euros": NUMBER, "duration": TEXT, "funding": TEXT}),
    "results": _array(_fields({"indicator": TEXT, "value": NUMBER, "unit": TEXT, "baseline": NUMBER,
                               "period": TEXT, "source": URL}, ("indicator", "value"))),
    "evaluation": _fields({"evaluator": TEXT, "method": TEXT, "report": URL}),
    "lessons": TEXT,
    "transferability": _fields({"size": TEXT, "partners": TEXT, "legal_basis": TEXT, "systems": TEXT}),
    **{key: TEXT for key in ("problem", "solution", "beneficiaries", "needs", "next_steps", "authority")},
    "response": _fields({"text": TEXT, "date": {"type": "string", "format": "date"}, "url": URL}),
}}
