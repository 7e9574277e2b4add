"""Field-by-field differences between two versions of an entry, with the changed words marked.

Pure (no Flask, no database): the review page's pending-edit diff and the public version history
both use it. A document is read as ordered (key, text) fields — every field of the content
format's EntryDocument, the structured ones (a mapping such as `proposal`) one field per sub-key —
so a field added to the format is shown and compared without a change here. The caller names the
fields and vocabulary values in the reader's language (`show`), and renders the segments (<ins>/<del>).
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

from .content import EntryDocument

HIDDEN = ("slug", "type", "published")  # not editable: the address, the kind, the publication date
TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
MAX_TOKENS = 20_000  # past this a field is compared line by line (difflib is quadratic in the worst case)
REWRITTEN = 0.3  # word_diff: below this share of words in common a field is shown as replaced
SIMILARITY_WORDS = 600  # the first words of each text are enough to tell a near-copy
Show = Callable[[str, Any], str]  # (field key, one value) -> its text in the reader's language


@dataclass(frozen=True)
class Segment:
    kind: str  # "same", "added" or "removed"
    text: str


@dataclass(frozen=True)
class FieldChange:
    key: str  # e.g. "title", "proposal.action", "laws"
    old: str
    new: str
    segments: tuple[Segment, ...]


def plain(_key: str, value: Any) -> str:
    """A value as text when the caller has no names for it."""
    return value.isoformat() if isinstance(value, date) else str(value)


def fields(doc: EntryDocument, show: Show = plain) -> list[tuple[str, str]]:
    """Every non-empty field of DOC as (key, text), in the format's order."""
    out = []
    for f in dataclasses.fields(doc):
        if f.name in HIDDEN:
            continue
        value = getattr(doc, f.name)
        if isinstance(value, dict):  # a structured field: one field per sub-key (details.goals, proposal.action)
            out += [(f"{f.name}.{k}", text) for k, v in value.items() if (text := _text(f"{f.name}.{k}", v, show))]
            continue
        text = _text(f.name, value, show)
        if text:
            out.append((f.name, text))
    return out


def _text(key: str, value: Any, show: Show) -> str:
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, dict):
        return " · ".join(show(f"{key}.{k}", v) for k, v in value.items() if v not in (None, ""))
    if isinstance(value, list):
        return "\n".join(_text(key, item, show) for item in value)
    return show(key, value)


def field_diff(old: EntryDocument | None, new: EntryDocument, show: Show = plain) -> list[FieldChange]:
    """The fields that differ between OLD and NEW (all of NEW's when OLD is None), words marked."""
    before = dict(fields(old, show)) if old is not None else {}
    after = dict(fields(new, show))
    keys = list(after) + [k for k in before if k not in after]
    return [FieldChange(k, before.get(k, ""), after.get(k, ""), tuple(word_diff(before.get(k, ""), after.get(k, ""))))
            for k in keys if before.get(k, "") != after.get(k, "")]


def word_diff(old: str, new: str) -> list[Segment]:
    """OLD → NEW as segments: words kept, removed and added. A space or a comma alone kept between two
    changes joins them (one readable change, not word-by-word confetti); a field rewritten all
    through (under REWRITTEN alike) reads as the old text removed and the new added."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    if len(a) + len(b) > MAX_TOKENS:
        a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.ratio() < REWRITTEN:
        return [s for s in (Segment("removed", old), Segment("added", new)) if s.text]
    out: list[Segment] = []
    removed, added = "", ""
    codes = matcher.get_opcodes()
    for n, (op, i1, i2, j1, j2) in enumerate(codes):
        kept = "".join(a[i1:i2])
        between = 0 < n < len(codes) - 1 and not re.search(r"\w", kept)
        if op == "equal" and not between:
            _add(out, "removed", removed)
            _add(out, "added", added)
            removed, added = "", ""
            _add(out, "same", kept)
        else:
            removed += "".join(a[i1:i2])
            added += "".join(b[j1:j2])
    _add(out, "removed", removed)
    _add(out, "added", added)
    return out


def _add(out: list[Segment], kind: str, text: str) -> None:
    if not text:
        return
    if out and out[-1].kind == kind:
        out[-1] = Segment(kind, out[-1].text + text)
    elif kind != "same" and not text.strip() and out:  # a changed space alone reads as unchanged
        _add(out, "same", text)
    else:
        out.append(Segment(kind, text))


def similarity(a: str, b: str) -> float:
    """How much of two texts is the same words in the same order, 0…1 (difflib's ratio on words)."""
    wa, wb = re.findall(r"\w+", a.casefold()), re.findall(r"\w+", b.casefold())
    if not wa or not wb:
        return 0.0
    return difflib.SequenceMatcher(None, wa[:SIMILARITY_WORDS], wb[:SIMILARITY_WORDS], autojunk=False).ratio()
