"""The thesaurus as SKOS in Turtle (pure), for others to reuse: concepts, labels, hierarchy, links.

Written by hand (no RDF library at run time); tests parse it with rdflib. Each concept is
<BASE + id>; the scheme is <BASE + "scheme">; skos:narrower is written as the inverse of broader
and a theme's concept is a top concept of the scheme.
"""

from __future__ import annotations

import re

from .vocabulary_format import URI, Concept

_IRI_UNSAFE = re.compile(r"[\x00-\x20<>\"{}|\\^`]")
DEFAULT_BASE = "urn:ideapankki:vocabulary:"
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _literal(text: str, language: str) -> str:
    return '"' + "".join(_ESCAPES.get(ch, ch) for ch in text) + f'"@{language}'


def _iri(value: str) -> str:
    if _IRI_UNSAFE.search(value):
        raise ValueError(f"{value!r} cannot be written as an IRI")
    return f"<{value}>"


def check_base(base: str) -> str:
    """BASE if concept IRIs can be made from it (an http(s) URI or a urn:), else ValueError."""
    if not (URI.match(base) or re.match(r"^urn:[a-z0-9][a-z0-9-]*:\S*$", base, re.I)) or _IRI_UNSAFE.search(base):
        raise ValueError(f"base URI {base!r} must be an http(s) URI or a urn: without spaces")
    return base


def to_turtle(concepts: list[Concept], base: str = DEFAULT_BASE) -> str:
    check_base(base)
    scheme = _iri(base + "scheme")
    narrower: dict[str, list[str]] = {}
    for concept in concepts:
        for parent in concept.broader:
            narrower.setdefault(parent, []).append(concept.key)
    lines = ["@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
             "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .", "",
             f"{scheme} rdf:type skos:ConceptScheme ;",
             f'    skos:prefLabel {_literal("Ideapankin asiasanasto", "fi")}, '
             f'{_literal("Ideapankkis tesaurus", "sv")}, {_literal("Ideapankki thesaurus", "en")} .']
    tops = [c.key for c in concepts if c.theme]
    if tops:
        lines[-1] = lines[-1][:-2] + " ;"
        lines.append("    skos:hasTopConcept " + ", ".join(_iri(base + k) for k in tops) + " .")
    for concept in concepts:
        statements = ["rdf:type skos:Concept", f"skos:inScheme {scheme}"]
        if concept.theme:
            statements.append(f"skos:topConceptOf {scheme}")
        names = {"pref": "skos:prefLabel", "alt": "skos:altLabel", "hidden": "skos:hiddenLabel"}
        for kind, language, text in concept.all_labels():
            statements.append(f"{names[kind]} {_literal(text, language)}")
        for predicate, keys in (("skos:broader", concept.broader), ("skos:narrower", narrower.get(concept.key, [])),
                                ("skos:related", concept.related)):
            statements += [f"{predicate} {_iri(base + key)}" for key in keys]
        statements += [f"skos:exactMatch {_iri(uri)}" for uri in concept.exact_match]
        if concept.note:
            statements.append(f"skos:scopeNote {_literal(concept.note, 'fi')}")
        lines += ["", f"{_iri(base + concept.key)} " + " ;\n    ".join(statements) + " ."]
    return "\n".join(lines) + "\n"
