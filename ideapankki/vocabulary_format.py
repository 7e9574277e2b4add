"""The thesaurus file format (pure): YAML ⇄ Concept, with every error naming the file and the concept.

A file is `concepts:`, a list of mappings: `id`, labels per language (`fi`, `sv`, `en`: a list
whose first item is the skos:prefLabel, the rest skos:altLabel), `hidden` (language → list of
skos:hiddenLabel), `broader` and `related` (ids), `exactMatch` (http(s) URIs), `theme` (a theme
slug), `region` (a region code of the register) and `note`. docs/vocabulary.md describes it;
ideapankki/data/vocabulary.yaml is the shipped thesaurus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from .models import VOCABULARY_LANGUAGES
from .reference import THEME_SLUGS, read_register
from .safe_yaml import Loader

KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
URI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
MAX_LABEL = 200
MAX_NOTE = 2000
_FIELDS = ("id", *VOCABULARY_LANGUAGES, "hidden", "broader", "related", "exactMatch", "theme", "region", "note")


@dataclass
class Concept:
    key: str
    labels: dict[str, list[str]] = field(default_factory=dict)  # language -> [prefLabel, altLabel...]
    hidden: dict[str, list[str]] = field(default_factory=dict)
    broader: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    exact_match: list[str] = field(default_factory=list)
    theme: str | None = None
    region: str | None = None
    note: str = ""

    def pref(self, language: str) -> str | None:
        found = self.labels.get(language) or []
        return found[0] if found else None

    def all_labels(self):
        """(kind, language, text) of every label, in order."""
        for language in VOCABULARY_LANGUAGES:
            for i, text in enumerate(self.labels.get(language, [])):
                yield ("pref" if i == 0 else "alt"), language, text
            for text in self.hidden.get(language, []):
                yield "hidden", language, text


class VocabularyError(ValueError):
    """The file is invalid: every problem, each naming the file and the concept; nothing was changed."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@lru_cache(maxsize=1)
def region_codes() -> frozenset[str]:
    return frozenset(m.region_code for m in read_register())


def _text_list(value, where: str, problems: list[str]) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"{where}: must be a list of texts")
        return []
    cleaned = [" ".join(v.split()) for v in value]
    for text in cleaned:
        if not text:
            problems.append(f"{where}: an empty label")
        elif len(text) > MAX_LABEL:
            problems.append(f"{where}: a label longer than {MAX_LABEL} characters")
    return [t for t in cleaned if t]


def check_concept(concept: Concept, where: str) -> list[str]:
    """Problems of one concept on its own (links are checked against the whole set by check_all)."""
    problems = []
    if not KEY.match(concept.key or ""):
        problems.append(f"{where}: id must be lower-case letters a-z, digits and hyphens (at most 80)")
    if not concept.pref("fi"):
        problems.append(f"{where}: a Finnish label (fi) is required")
    for language in VOCABULARY_LANGUAGES:
        seen: set[str] = set()
        for text in [*concept.labels.get(language, []), *concept.hidden.get(language, [])]:
            if text.lower() in seen:
                problems.append(f"{where}: label {text!r} ({language}) appears twice")
            seen.add(text.lower())
    for uri in concept.exact_match:
        if not URI.match(uri):
            problems.append(f"{where}: exactMatch {uri!r} is not an http(s) URI")
    if concept.theme is not None and concept.theme not in THEME_SLUGS:
        problems.append(f"{where}: theme {concept.theme!r} is not one of {', '.join(THEME_SLUGS)}")
    if concept.region is not None and concept.region not in region_codes():
        problems.append(f"{where}: region {concept.region!r} is not a region code of the municipality register")
    if len(concept.note) > MAX_NOTE:
        problems.append(f"{where}: note longer than {MAX_NOTE} characters")
    return problems


def check_all(concepts: list[Concept], source: str) -> list[str]:
    """Problems of the whole set: unique ids, links that resolve, one concept per theme, region and label."""
    problems = []
    keys: dict[str, int] = {}
    for concept in concepts:
        keys[concept.key] = keys.get(concept.key, 0) + 1
    problems += [f"{source}: concept {k!r}: id used {n} times" for k, n in keys.items() if n > 1]
    owners: dict[tuple, str] = {}
    for concept in concepts:
        where = f"{source}: concept {concept.key!r}"
        for kind, targets in (("broader", concept.broader), ("related", concept.related)):
            for target in targets:
                if target == concept.key:
                    problems.append(f"{where}: {kind} links to itself")
                elif target not in keys:
                    problems.append(f"{where}: {kind} {target!r} is not a concept")
        claims = [("theme", concept.theme), ("region", concept.region)]
        claims += [(f"label ({language})", text.lower()) for _kind, language, text in concept.all_labels()]
        for claim in claims:
            if claim[-1] is None:
                continue
            if claim in owners and owners[claim] != concept.key:
                problems.append(f"{where}: {claim[0]} {claim[-1]!r} is already {owners[claim]!r}'s")
            owners.setdefault(claim, concept.key)
    return problems


def concept_from_mapping(item, where: str, problems: list[str]) -> Concept | None:
    if not isinstance(item, dict):
        problems.append(f"{where}: must be a mapping with an id and labels")
        return None
    key = item.get("id")
    if isinstance(key, str):
        where = f"{where.rsplit(':', 1)[0]}: concept {key!r}"
    unknown = sorted(set(map(str, item)) - set(_FIELDS))
    if unknown:
        problems.append(f"{where}: unknown key(s) {', '.join(unknown)} (allowed: {', '.join(_FIELDS)})")
    concept = Concept(key=key if isinstance(key, str) else "")
    for language in VOCABULARY_LANGUAGES:
        labels = _text_list(item.get(language), f"{where}: {language}", problems)
        if labels:
            concept.labels[language] = labels
    hidden = item.get("hidden") or {}
    if not isinstance(hidden, dict) or not set(hidden) <= set(VOCABULARY_LANGUAGES):
        problems.append(f"{where}: hidden must map fi/sv/en to lists of labels")
    else:
        for language, labels in hidden.items():
            found = _text_list(labels, f"{where}: hidden.{language}", problems)
            if found:
                concept.hidden[language] = found
    concept.broader = _text_list(item.get("broader"), f"{where}: broader", problems)
    concept.related = _text_list(item.get("related"), f"{where}: related", problems)
    concept.exact_match = _text_list(item.get("exactMatch"), f"{where}: exactMatch", problems)
    for name in ("theme", "region", "note"):
        value = item.get(name)
        if value is not None and not isinstance(value, str):
            problems.append(f"{where}: {name} must be a text")
        elif value is not None:
            setattr(concept, name, value.strip() if name == "note" else value)
    problems += check_concept(concept, where)
    return concept


def parse_vocabulary(text: str, source: str) -> list[Concept]:
    """Parse and validate a thesaurus file; raise VocabularyError listing every problem."""
    try:
        data = yaml.load(text, Loader=Loader)  # noqa: S506 - the project's safe loader
    except yaml.YAMLError as exc:
        raise VocabularyError([f"{source}: not valid YAML: {exc}"]) from None
    if not isinstance(data, dict) or not isinstance(data.get("concepts"), list):
        raise VocabularyError([f"{source}: expected a mapping with a list under 'concepts'"])
    problems: list[str] = []
    concepts = []
    for number, item in enumerate(data["concepts"], 1):
        concept = concept_from_mapping(item, f"{source}: concept #{number}", problems)
        if concept is not None:
            concepts.append(concept)
    problems += check_all(concepts, source)
    if problems:
        raise VocabularyError(problems)
    return concepts


def _flow(values: list[str]) -> str:
    return yaml.safe_dump(values, default_flow_style=True, allow_unicode=True, width=1 << 20).strip()


def _scalar(value: str) -> str:
    dumped = yaml.safe_dump(value, allow_unicode=True, width=1 << 20, default_style=None)
    return dumped.removesuffix("\n...\n").strip()


def serialise_vocabulary(concepts: list[Concept]) -> str:
    """The file of CONCEPTS (parse_vocabulary of it gives them back, equal)."""
    lines = ["# Ideapankki thesaurus (docs/vocabulary.md): the first label per language is the prefLabel.",
             "concepts:"]
    for concept in concepts:
        lines.append(f"- id: {concept.key}")
        if concept.theme:
            lines.append(f"  theme: {_scalar(concept.theme)}")
        if concept.region:
            lines.append(f"  region: {_scalar(concept.region)}")
        for language in VOCABULARY_LANGUAGES:
            if concept.labels.get(language):
                lines.append(f"  {language}: {_flow(concept.labels[language])}")
        if concept.hidden:
            hidden = {k: concept.hidden[k] for k in VOCABULARY_LANGUAGES if concept.hidden.get(k)}
            lines.append("  hidden: {" + ", ".join(f"{k}: {_flow(v)}" for k, v in hidden.items()) + "}")
        for name, values in (("broader", concept.broader), ("related", concept.related),
                             ("exactMatch", concept.exact_match)):
            if values:
                lines.append(f"  {name}: {_flow(values)}")
        if concept.note:
            lines.append(f"  note: {_scalar(concept.note)}")
    return "\n".join(lines) + "\n"
