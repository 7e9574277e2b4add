"""Value rules of the content format shared by its modules: text, choices, dates, numbers, lists.

Each helper takes the value read from YAML (or a form), the key it was found under and `fail`,
which builds the ContentError naming the file and that key. Pure; docs/content-format.md
("Value rules") is the contract.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Callable

URL_RE = re.compile(r"^https?://[^\s]+$")


def text(value: Any, key: str, fail: Callable) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise fail(key, "must be text")
    stripped = str(value).strip()
    if not stripped:
        raise fail(key, "must not be empty")
    return stripped


def optional_text(value: Any, key: str, fail: Callable) -> str | None:
    return None if value is None else text(value, key, fail)


def line(value: Any, key: str, fail: Callable) -> str:
    """One line of text."""
    result = text(value, key, fail)
    if "\n" in result or "\r" in result:
        raise fail(key, "must be a single line")
    return result


def choice(value: Any, choices: type, key: str, fail: Callable) -> str:
    allowed = [c.value for c in choices]
    if value not in allowed:
        raise fail(key, f"{value!r} is not one of: {', '.join(str(a) for a in allowed)}")
    return value


def optional_choice(value: Any, choices: type, key: str, fail: Callable) -> str | None:
    return None if value is None else choice(value, choices, key, fail)


def a_date(value: Any, key: str, fail: Callable) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise fail(key, f"{value!r} is not a date in the form YYYY-MM-DD") from None


def number(value: Any, key: str, fail: Callable) -> int | float:
    """A number ≥ 0 as YAML wrote it (an integer stays an integer)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value in (
            float("inf"), float("-inf")):
        raise fail(key, f"{value!r} is not a number (write it without units, e.g. 12.5)")
    if value < 0:
        raise fail(key, "must not be negative")
    return value


def url(value: Any, key: str, fail: Callable) -> str:
    result = text(value, key, fail)
    if not URL_RE.match(result):
        raise fail(key, "must be an http:// or https:// address")
    return result


def strings(value: Any, key: str, fail: Callable, codes: bool = False) -> list[str]:
    """A list of distinct texts (compared case-insensitively); CODES: integers are municipality codes."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise fail(key, "must be a list")
    items = []
    for i, item in enumerate(value):
        if codes and isinstance(item, int) and not isinstance(item, bool):
            item = str(item).zfill(3)
        items.append(text(item, f"{key}[{i}]", fail))
    seen = set()
    for i, item in enumerate(items):
        if item.casefold() in seen:
            raise fail(f"{key}[{i}]", f"{item!r} is listed twice")
        seen.add(item.casefold())
    return items


def mapping(value: Any, key: str, allowed: tuple[str, ...], fail: Callable, required: tuple[str, ...] = ()) -> dict:
    """A mapping with only the ALLOWED keys; null or empty values are dropped; REQUIRED must be there."""
    if not isinstance(value, dict):
        raise fail(key, f"must be a mapping with keys {', '.join(allowed)}")
    for sub in value:
        if sub not in allowed:
            raise fail(f"{key}.{sub}", f"unknown key (allowed: {', '.join(allowed)})")
    for sub in required:
        if value.get(sub) in (None, ""):
            raise fail(f"{key}.{sub}", "required key is missing or empty")
    return {sub: value[sub] for sub in allowed if value.get(sub) not in (None, "")}
