"""The content format of trial programmes: content/programmes/<slug>.md ⇄ ProgrammeDocument.

Pure functions, no database, the same conventions as entries (ideapankki.content): YAML front
matter and a Markdown body, errors that name the file and the key, one canonical form on
export so import → export → import is lossless byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable

import yaml

from . import content
from .content import LAW_NUMBER_RE, SLUG_RE, URL_RE, ContentError, _Loader, split_front_matter
from .models import Language

FOLDER = "programmes"  # under the content root; the entry loader skips it
KEYS = ("title", "summary", "language", "period", "law", "areas", "participants_total", "municipalities", "links")
REQUIRED_KEYS = ("title", "summary", "period")
LAW_KEYS = ("title", "number", "confirmed")


@dataclass
class ProgrammeDocument:
    """One programme in the content format; municipalities are as written (names or codes)."""

    slug: str
    title: str
    summary: str
    period_start: date
    period_end: date | None = None
    language: str = Language.fi.value
    law_title: str | None = None
    law_number: str | None = None
    law_confirmed: date | None = None
    areas: int | None = None
    participants_total: int | None = None  # as the sources state it; may exceed the named municipalities
    municipalities: list[str] = field(default_factory=list)
    links: list[dict[str, str]] = field(default_factory=list)
    body: str = ""


def parse(text: str, path: str | Path) -> ProgrammeDocument:
    """Parse and validate one programme file's TEXT; the slug is the file name."""
    path = Path(path)
    fail = lambda key, msg: ContentError(path, key, msg)  # noqa: E731
    if not SLUG_RE.match(path.stem):
        raise fail(None, f"file name {path.stem!r} is not a valid slug (a-z, 0-9 and hyphens)")
    front, body = split_front_matter(text, path)
    try:
        data = yaml.load(front, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.YAMLError as exc:
        raise fail(None, f"invalid YAML front matter: {exc}") from None
    if not isinstance(data, dict):
        raise fail(None, "the front matter must be a mapping of keys to values")
    for key in data:
        if key not in KEYS:
            raise fail(str(key), f"unknown key (allowed: {', '.join(KEYS)})")
    for key in REQUIRED_KEYS:
        if data.get(key) in (None, ""):
            raise fail(key, "required key is missing or empty")
    (period,) = content._records([data["period"]], "period", fail)
    doc = ProgrammeDocument(
        slug=path.stem,
        title=content._text(data["title"], "title", fail),
        summary=content._text(data["summary"], "summary", fail),
        period_start=content._date(period["start"], "period.start", fail),
        period_end=content._date(period.get("end"), "period.end", fail),
        language=content._choice(data.get("language", Language.fi.value), Language, "language", fail),
        areas=_count(data.get("areas"), "areas", fail),
        participants_total=_count(data.get("participants_total"), "participants_total", fail),
        municipalities=content._strings(data.get("municipalities"), "municipalities", fail, codes=True),
        links=content._records(data.get("links"), "links", fail),
        body=body.strip("\n").rstrip() if body.strip() else "",
    )
    if "\n" in doc.title:
        raise fail("title", "must be a single line")
    if doc.period_end and doc.period_end < doc.period_start:
        raise fail("period.end", "the end is before the start")
    if data.get("law") is not None:
        _law(doc, data["law"], fail)
    if doc.participants_total is not None and doc.participants_total < len(doc.municipalities):
        raise fail("participants_total", f"is {doc.participants_total}, but {len(doc.municipalities)} "
                                         "municipalities are listed")
    for i, link in enumerate(doc.links):
        if not URL_RE.match(link["url"]):
            raise fail(f"links[{i}].url", "must be an http:// or https:// address")
    return doc


def _count(value: Any, key: str, fail: Callable) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise fail(key, f"{value!r} is not a whole number of zero or more")
    return value


def _law(doc: ProgrammeDocument, value: Any, fail: Callable) -> None:
    if not isinstance(value, dict):
        raise fail("law", f"must be a mapping with keys {', '.join(LAW_KEYS)}")
    for sub in value:
        if sub not in LAW_KEYS:
            raise fail(f"law.{sub}", f"unknown key (allowed: {', '.join(LAW_KEYS)})")
    if value.get("title") in (None, ""):
        raise fail("law.title", "required key is missing or empty")
    doc.law_title = content._text(value["title"], "law.title", fail)
    doc.law_number = content._optional_text(value.get("number"), "law.number", fail)
    if doc.law_number and not LAW_NUMBER_RE.match(doc.law_number):
        raise fail("law.number", f"{doc.law_number!r} is not a statute number like 1269/2020")
    doc.law_confirmed = content._date(value.get("confirmed"), "law.confirmed", fail)


def serialize(doc: ProgrammeDocument) -> str:
    """Write DOC in the canonical programme format (the inverse of parse)."""
    data: dict[str, Any] = {"title": doc.title, "summary": doc.summary, "language": doc.language,
                            "period": {"start": doc.period_start, **({"end": doc.period_end} if doc.period_end else {})}}
    if doc.law_title:
        data["law"] = {"title": doc.law_title, **({"number": doc.law_number} if doc.law_number else {}),
                       **({"confirmed": doc.law_confirmed} if doc.law_confirmed else {})}
    for key in ("areas", "participants_total"):
        if getattr(doc, key) is not None:
            data[key] = getattr(doc, key)
    if doc.municipalities:
        data["municipalities"] = list(doc.municipalities)
    if doc.links:
        data["links"] = [dict(link) for link in doc.links]
    front = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=False)
    return f"---\n{front}---\n\n{doc.body}\n" if doc.body else f"---\n{front}---\n"
