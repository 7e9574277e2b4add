"""What a reader narrowed a list to, and the counts per value: shared by the search engine and browsing."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace


@dataclass(frozen=True)
class Filters:
    """What the reader narrowed the list to; None means any."""

    type: str | None = None
    theme: str | None = None
    region: str | None = None
    municipality: str | None = None
    year: int | None = None
    trial_status: str | None = None
    norm_status: str | None = None
    evidence: int | None = None  # a practice's confirmed evidence level, 1–5

    def active(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}

    def without(self, name: str) -> "Filters":
        return replace(self, **{name: None})


@dataclass
class Facet:
    name: str
    counts: list[tuple[object, int]] = field(default_factory=list)
