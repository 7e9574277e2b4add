"""The content format: Markdown files with YAML front matter ⇄ EntryDocument.

Pure functions, no database: parsing validates every key and reports errors that name the
file and the key; serialising writes one canonical form, so import → export → import is
lossless byte for byte. The contract is docs/content-format.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable

import yaml

from . import structured
from .content_values import a_date as _date, choice as _choice, optional_choice as _optional_choice
from .content_values import mapping, optional_text as _optional_text, strings as _strings, text as _text
from .markdown import nesting_problem
from .relation_rules import relation_type_problem  # noqa: F401 - entries.py and the form ask it through here
from .models import EntryType, Language, NormAction, ProposerRole, RelationKind, TrialStatus
from .safe_yaml import Loader as _Loader  # programme_format uses it too

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LAW_NUMBER_RE = re.compile(r"^\d{1,5}/\d{4}$")
URL_RE = re.compile(r"^https?://[^\s]+$")
KEYS = (
    "title", "type", "summary", "language", "municipalities", "themes", "tags", "published",
    "period", "trial_status", "programme", "origin", "proposal", *structured.KEYS, "laws", "contacts", "links",
    "relations",
)
REQUIRED_KEYS = ("title", "type", "summary")
TYPE_ONLY_KEYS = {"period": EntryType.practice, "trial_status": EntryType.practice, "origin": EntryType.idea,
                  "proposal": EntryType.norm, "programme": EntryType.practice}
PROPOSAL_KEYS = ("action", "justification", "savings", "time", "people", "proposer_role")
SUBKEYS = {
    "laws": (("title",), ("title", "number", "section")),
    "links": (("title", "url"), ("title", "url")),
    "period": (("start",), ("start", "end")),
    "proposal": ((), PROPOSAL_KEYS),
    "relations": (("kind", "entry"), ("kind", "entry")),
}


class ContentError(ValueError):
    """An invalid content file: names the file, the key (if any) and what is wrong."""

    def __init__(self, path: str | Path, key: str | None, message: str):
        self.path, self.key, self.message = str(path), key, message
        super().__init__(f"{self.path}: {key}: {message}" if key else f"{self.path}: {message}")


@dataclass
class EntryDocument:
    """One entry in the content format; municipalities are as written (names or codes)."""

    slug: str
    type: str
    title: str
    summary: str
    language: str = Language.fi.value
    municipalities: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    published: date | None = None
    period_start: date | None = None
    period_end: date | None = None
    trial_status: str | None = None
    origin: str | None = None
    # norm proposals: action, justification, savings, time, people, proposer_role (see PROPOSAL_KEYS)
    proposal: dict[str, str] = field(default_factory=dict)
    laws: list[dict[str, str]] = field(default_factory=list)
    contacts: list[dict[str, str]] = field(default_factory=list)
    links: list[dict[str, str]] = field(default_factory=list)
    relations: list[dict[str, str]] = field(default_factory=list)  # {kind, entry}: typed links by slug
    # the structured description of its type (ideapankki.structured: goals, results, evidence level…)
    details: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    programme: str | None = None  # practices: slug of a trial programme (content/programmes/<slug>.md)


def split_front_matter(text: str, path: str | Path) -> tuple[str, str]:
    """Split TEXT into its YAML front matter and Markdown body."""
    text = text.replace("\r\n", "\n").lstrip("\ufeff")
    if not text.startswith("---\n"):
        raise ContentError(path, None, "the file must begin with a '---' line (YAML front matter)")
    end = text.find("\n---\n", 3)
    if end == -1 and text.endswith("\n---"):
        end = len(text) - 4
    elif end == -1:
        raise ContentError(path, None, "the front matter has no closing '---' line")
    return text[4 : end + 1], text[end + 5 :]


def parse(text: str, path: str | Path, slug: str | None = None, draft: bool = False) -> EntryDocument:
    """Parse and validate one file's TEXT; SLUG defaults to the file name; DRAFT: see from_mapping."""
    path = Path(path)
    slug = slug if slug is not None else path.stem
    if not SLUG_RE.match(slug):
        raise ContentError(path, None, f"file name {slug!r} is not a valid slug (a-z, 0-9 and hyphens)")
    front, body = split_front_matter(text, path)
    try:
        data = yaml.load(front, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.YAMLError as exc:
        raise ContentError(path, None, f"invalid YAML front matter: {exc}") from None
    if not isinstance(data, dict):
        raise ContentError(path, None, "the front matter must be a mapping of keys to values")
    return _document(data, body, path, slug, draft)


def from_mapping(data: dict, body: str, source: str, slug: str, draft: bool = False) -> EntryDocument:
    """Validate DATA and BODY as `parse` does (forms); a DRAFT needs no summary yet (ideapankki.drafts)."""
    return _document(data, body, Path(source), slug, draft)


def _document(data: dict, body: str, path: Path, slug: str, draft: bool = False) -> EntryDocument:
    fail = lambda key, msg: ContentError(path, key, msg)  # noqa: E731
    for key in data:
        if key not in KEYS:
            raise fail(str(key), f"unknown key (allowed: {', '.join(KEYS)})")
    for key in REQUIRED_KEYS[:2] if draft else REQUIRED_KEYS:  # a draft: title and type
        if key not in data or data[key] in (None, ""):
            raise fail(key, "required key is missing or empty")
    entry_type = _choice(data["type"], EntryType, "type", fail)
    for key, only in TYPE_ONLY_KEYS.items():
        if data.get(key) is not None and entry_type != only.value:
            raise fail(key, f"only allowed for type {only.value}")
    if path.parent.name in {t.value for t in EntryType} and path.parent.name != entry_type:
        raise fail("type", f"{entry_type!r} does not match the folder {path.parent.name!r}")
    for key in ("title", "origin"):
        if isinstance(data.get(key), str) and ("\n" in data[key].strip() or "\r" in data[key]):
            raise fail(key, "must be a single line")
    doc = EntryDocument(
        slug=slug,
        type=entry_type,
        title=_text(data["title"], "title", fail),
        summary=_text(data["summary"], "summary", fail) if data.get("summary") not in (None, "") else "",
        language=_choice(data.get("language", Language.fi.value), Language, "language", fail),
        municipalities=_strings(data.get("municipalities"), "municipalities", fail, codes=True),
        themes=_strings(data.get("themes"), "themes", fail),
        tags=_strings(data.get("tags"), "tags", fail),
        published=_date(data.get("published"), "published", fail),
        trial_status=_optional_choice(data.get("trial_status"), TrialStatus, "trial_status", fail),
        origin=_optional_text(data.get("origin"), "origin", fail),
        laws=_records(data.get("laws"), "laws", fail),
        contacts=structured.contacts(data.get("contacts"), fail),
        details=structured.read(data, entry_type, fail),
        links=_records(data.get("links"), "links", fail),
        relations=_records(data.get("relations"), "relations", fail),
        body=body.strip("\n").rstrip() if body.strip() else "",
    )
    if problem := nesting_problem(doc.body):  # before anything renders it (import, form, preview)
        raise fail("body", problem)
    if data.get("programme") is not None:
        doc.programme = _text(data["programme"], "programme", fail)
        if not SLUG_RE.match(doc.programme):
            raise fail("programme", f"{doc.programme!r} is not a programme slug (a-z, 0-9 and hyphens)")
    if data.get("proposal") is not None:
        (doc.proposal,) = _records([data["proposal"]], "proposal", fail)
        for key, choices in (("action", NormAction), ("proposer_role", ProposerRole)):
            if key in doc.proposal:
                _choice(doc.proposal[key], choices, f"proposal.{key}", fail)
    if data.get("period") is not None:
        (period,) = _records([data["period"]], "period", fail)
        doc.period_start = _date(period["start"], "period.start", fail)
        doc.period_end = _date(period.get("end"), "period.end", fail)
        if doc.period_end and doc.period_end < doc.period_start:
            raise fail("period.end", "the end is before the start")
    for i, law in enumerate(doc.laws):
        if law.get("number") and not LAW_NUMBER_RE.match(law["number"]):
            raise fail(f"laws[{i}].number", f"{law['number']!r} is not a statute number like 916/2012")
    for i, link in enumerate(doc.links):
        if not URL_RE.match(link["url"]):
            raise fail(f"links[{i}].url", "must be an http:// or https:// address")
    seen = set()
    for i, relation in enumerate(doc.relations):
        _choice(relation["kind"], RelationKind, f"relations[{i}].kind", fail)
        if not SLUG_RE.match(relation["entry"]):
            raise fail(f"relations[{i}].entry", f"{relation['entry']!r} is not an entry slug")
        if relation["entry"] == slug:
            raise fail(f"relations[{i}].entry", "an entry cannot be related to itself")
        problem = relation_type_problem(relation["kind"], entry_type, None)
        if problem:
            raise fail(f"relations[{i}].kind", problem)
        if (relation["kind"], relation["entry"]) in seen:
            raise fail(f"relations[{i}]", "the same relation is listed twice")
        seen.add((relation["kind"], relation["entry"]))
    return doc




def _records(value: Any, key: str, fail: Callable) -> list[dict[str, str]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise fail(key, "must be a list")
    required, allowed = SUBKEYS[key]
    records = []
    for i, item in enumerate(value):
        where = key if key in ("period", "proposal") else f"{key}[{i}]"
        fields = mapping(item, where, allowed, fail, required)
        records.append(fields if key == "period" else {sub: _text(v, f"{where}.{sub}", fail)
                                                       for sub, v in fields.items()})
    return records


class _Dumper(yaml.SafeDumper):
    """Safe YAML with text of several lines as a literal block (`|`), as a person would write it."""


_Dumper.add_representer(str, lambda dumper, text: dumper.represent_scalar(
    "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None))


def serialize(doc: EntryDocument) -> str:
    """Write DOC in the canonical content format (the inverse of parse)."""
    data: dict[str, Any] = {"title": doc.title, "type": doc.type, "summary": doc.summary, "language": doc.language}
    for key in ("municipalities", "themes", "tags"):
        if getattr(doc, key):
            data[key] = list(getattr(doc, key))
    if doc.published:
        data["published"] = doc.published
    if doc.period_start:
        data["period"] = {"start": doc.period_start, **({"end": doc.period_end} if doc.period_end else {})}
    data.update({key: getattr(doc, key) for key in ("trial_status", "programme", "origin") if getattr(doc, key)})
    if doc.proposal:
        data["proposal"] = {key: doc.proposal[key] for key in PROPOSAL_KEYS if doc.proposal.get(key)}
    data.update(structured.write(doc.details))
    for key in ("laws", "contacts", "links", "relations"):
        if getattr(doc, key):
            data[key] = [dict(record) for record in getattr(doc, key)]
    front = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000,
                      default_flow_style=False)
    return f"---\n{front}---\n\n{doc.body}\n" if doc.body else f"---\n{front}---\n"
