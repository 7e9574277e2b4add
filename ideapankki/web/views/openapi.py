"""The OpenAPI 3.1 document of /api/v1/: the promise to reusers, checked against the real responses.

tests/web/test_openapi.py runs schemathesis over every operation, so a response that strays from
this description fails the build.
"""

from __future__ import annotations

from functools import lru_cache

from ...models import EntryType, Language, NormStatus, RelationKind, TrialStatus
from ...reference import THEME_SLUGS, read_register
from .openapi_details import DETAILS

NULLABLE_STRING = {"type": ["string", "null"]}
NO_NUL = "^[^\\u0000]*$"  # a NUL anywhere in a request is refused with 400 (web/params.py)
DAY = {"type": ["string", "null"], "format": "date"}


def _array(items: dict) -> dict:
    return {"type": "array", "items": items}


def _object(properties: dict, required: list[str] | None = None) -> dict:
    return {"type": "object", "properties": properties, "required": required or list(properties)}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


TYPES = [t.value for t in EntryType]
STATUSES = [s.value for s in TrialStatus]
NORM_STATUSES = [s.value for s in NormStatus]
LANGUAGES = [lang.value for lang in Language]

MUNICIPALITY = {
    "code": {"type": "string", "description": "three-digit code of the register"},
    "name_fi": {"type": "string"}, "name_sv": {"type": "string"},
    "region_code": {"type": "string"}, "region_fi": {"type": "string"}, "region_sv": {"type": "string"},
}
SUMMARY = {
    "slug": {"type": "string"}, "url": {"type": "string", "format": "uri"},
    "type": {"type": "string", "enum": TYPES}, "language": {"type": "string", "enum": LANGUAGES},
    "title": {"type": "string"}, "summary": {"type": "string"}, "published": DAY,
    "municipalities": _array({"type": "string"}), "themes": _array({"type": "string", "enum": list(THEME_SLUGS)}),
    "trial_status": {"type": ["string", "null"], "enum": [*STATUSES, None]},
    "evidence_level": {"type": ["integer", "null"], "minimum": 1, "maximum": 5,
                       "description": "a practice's evidence level (Nesta standards 1–5) confirmed by a moderator"},
}
ENTRY = {
    **SUMMARY,
    "municipalities": _array(_ref("Municipality")),
    "tags": _array({"type": "string"}),
    "body_markdown": {"type": "string"},
    "body_html": {"type": "string", "description": "sanitised HTML rendered from body_markdown"},
    "updated": {"type": ["string", "null"], "format": "date-time"},
    "period": {"oneOf": [{"type": "null"}, _object({"start": DAY, "end": DAY})]},
    "origin": NULLABLE_STRING,
    "laws": _array(_object({"title": {"type": "string"}, "number": NULLABLE_STRING, "section": NULLABLE_STRING})),
    # only the contacts who agreed to publication
    "contacts": _array(_object({"name": {"type": "string"}, "role": NULLABLE_STRING, "organisation": NULLABLE_STRING,
                                "email": NULLABLE_STRING, "phone": NULLABLE_STRING})),
    "evidence_proposed": {"type": ["integer", "null"], "minimum": 1, "maximum": 5,
                          "description": "the evidence level the author proposed (not confirmed)"},
    "details": DETAILS,
    "links": _array(_object({"title": {"type": "string"}, "url": {"type": "string"}})),
    "programme": {"type": ["string", "null"], "description": "slug of the trial programme a practice belongs to"},
    "proposal": {"oneOf": [{"type": "null"}, _object({
        name: NULLABLE_STRING for name in ("action", "justification", "savings", "time", "people", "proposer_role")
    })]},
    "relations": _array(_object({
        "kind": {"type": "string", "enum": [k.value for k in RelationKind]},
        "direction": {"type": "string", "enum": ["outgoing", "incoming"],
                      "description": "outgoing: this entry names the other; incoming: the other names this one"},
        "slug": {"type": "string"}, "url": {"type": "string", "format": "uri"}})),
    "norm_status": {"type": ["string", "null"], "enum": [*NORM_STATUSES, None],
                    "description": "the latest recorded step of a norm proposal after publication"},
    "norm_status_history": _array(_object({
        "status": {"type": "string", "enum": NORM_STATUSES}, "date": {"type": "string", "format": "date"},
        "note": {"type": "string"}, "amending_act": NULLABLE_STRING, "reason": NULLABLE_STRING})),
    "adoptions": {"type": "array", "description": "organisations that have it in use or are interested",
                  "items": {"$ref": "#/components/schemas/Adoption"}},
}
ADOPTION = _object({
    "organisation": {"type": "string"},
    "municipality_code": {"type": ["string", "null"], "description": "the organisation's municipality, if any"},
    "municipality": NULLABLE_STRING, "region_code": NULLABLE_STRING,
    "status": {"type": "string", "enum": ["adopted", "interested"],
               "description": "adopted: in use in the organisation; interested: considering it"},
    "year": {"type": ["integer", "null"], "description": "the year it was taken into use (adopted only)"},
    "note": NULLABLE_STRING, "link": NULLABLE_STRING, "marked_at": DAY})
PROGRAMME = {
    "slug": {"type": "string"}, "url": {"type": "string", "format": "uri"}, "title": {"type": "string"},
    "summary": {"type": "string"}, "language": {"type": "string", "enum": LANGUAGES},
    "period": _object({"start": DAY, "end": DAY}),
    "law": {"oneOf": [{"type": "null"}, _object({"title": {"type": "string"}, "number": NULLABLE_STRING,
                                                 "confirmed": DAY})]},
    "areas": {"type": ["integer", "null"], "description": "number of trial areas, as the sources state it"},
    "participants_total": {"type": ["integer", "null"],
                           "description": "municipalities taking part, as the sources state it"},
    "participants_listed": {"type": "integer", "description": "how many of them the bank names"},
    "practices": {"type": "integer", "description": "number of published practices in the programme"},
}
BY_YEAR = _object({"year": {"type": "integer"}, "total": {"type": "integer"},
                   "counts": {"type": "object", "additionalProperties": {"type": "integer"}}})
COUNTS = {"type": "object", "additionalProperties": {"type": "integer"}}
ADOPTION_STATISTICS = _object({
    "marks": COUNTS,
    "by_adopting_municipalities": _array(_object({"municipalities": {"type": "integer"},
                                                  "entries": {"type": "integer"}})),
    "most_adopted": _array(_object({"slug": {"type": "string"}, "title": {"type": "string"},
                                    "type": {"type": "string", "enum": TYPES}, "municipalities": {"type": "integer"}})),
    "regions": _array(_object({"code": {"type": "string"}, "name_fi": {"type": "string"},
                               "name_sv": {"type": "string"}, "adopted": {"type": "integer"},
                               "interested": {"type": "integer"}})),
})
FACETS = {"type": "object", "additionalProperties": _array(_object({"value": {"type": "string"},
                                                                   "count": {"type": "integer"}}))}


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


@lru_cache(maxsize=1)
def _register() -> tuple[list[str], list[str]]:
    municipalities = read_register()
    return sorted(m.code for m in municipalities), sorted({m.region_code for m in municipalities})


def _filters() -> list[dict]:
    codes, regions = _register()
    return [
        _query("type", {"type": "string", "enum": TYPES}, "entry type"),
        _query("theme", {"type": "string", "enum": list(THEME_SLUGS)}, "theme slug"),
        _query("region", {"type": "string", "enum": regions}, "region code (maakunta, e.g. FI1D8 Kainuu)"),
        _query("municipality", {"type": "string", "enum": codes}, "municipality code of the register"),
        _query("year", {"type": "integer", "minimum": 1900, "maximum": 2100},
               "year: a practice's start, other entries' publication"),
        _query("trial_status", {"type": "string", "enum": STATUSES}, "status of a trial"),
        _query("norm_status", {"type": "string", "enum": NORM_STATUSES}, "current status of a norm proposal"),
        _query("evidence", {"type": "integer", "minimum": 1, "maximum": 5}, "a practice's confirmed evidence level"),
    ]


PAGING = [
    _query("page", {"type": "integer", "minimum": 1, "maximum": 10000}, "page number"),
    _query("per_page", {"type": "integer", "minimum": 1, "maximum": 100}, "entries per page"),
]


def _ok(schema_name: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema_name)}}}


ERROR = {"description": "error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
UNAVAILABLE = {**ERROR, "description": "search is temporarily unavailable: the search index is damaged or being "
               "rebuilt from the database, which happens by itself; try again after Retry-After seconds",
               "headers": {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}}}


def _get(operation_id: str, summary: str, schema_name: str, parameters: list | None = None,
         errors: tuple[str, ...] = ()) -> dict:
    responses = {"200": _ok(schema_name, summary)}
    responses.update({code: UNAVAILABLE if code == "503" else ERROR for code in errors})
    return {"get": {"operationId": operation_id, "summary": summary, "parameters": parameters or [],
                    "responses": responses}}


def document(server_url: str) -> dict:
    """The document, with SERVER_URL (…/api/v1) as its server."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Ideapankki API",
            "version": "1.0.0",
            "description": "Published entries of Ideapankki, the idea bank of Finnish municipal experimentation: "
                           "practices, ideas and norm proposals. Read-only, no key needed, CORS open to every "
                           "origin. The content is licensed CC BY 4.0.",
            "license": {"name": "CC BY 4.0 (content)", "identifier": "CC-BY-4.0"},
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/entries": _get("listEntries", "Published entries, newest first", "EntryList",
                             _filters() + PAGING, ("400",)),
            "/entries/{slug}": _get("getEntry", "One published entry", "Entry",
                                    [{"name": "slug", "in": "path", "required": True,
                                      "schema": {"type": "string", "pattern": NO_NUL}}], ("404",)),
            "/search": _get("search", "Full-text search of published entries", "SearchResponse", [
                _query("q", {"type": "string", "maxLength": 500, "pattern": NO_NUL},
                       "what to look for (Finnish words in any form)"),
                *_filters(),
                _query("sort", {"type": "string", "enum": ["relevance", "newest"]}, "order of results"),
                _query("respell", {"type": "string", "enum": ["0", "1"]},
                       "0: search the words as typed, without spelling corrections"),
                *PAGING,
            ], ("400", "503")),
            "/similar": _get("similar", "Published entries resembling a title", "SimilarResponse", [
                {**_query("title", {"type": "string", "minLength": 1, "maxLength": 300,
                                    "pattern": "^[^\\u0000]*[^ \\t\\r\\n\\u0000][^\\u0000]*$"},
                          "a title being written"),
                 "required": True},
            ], ("400", "503")),
            "/municipalities": _get("listMunicipalities", "The municipality register with entry counts",
                                    "MunicipalityList"),
            "/themes": _get("listThemes", "The themes with their names and entry counts", "ThemeList"),
            "/programmes": _get("listProgrammes", "Trial programmes with their numbers of published practices",
                                "ProgrammeList"),
            "/programmes/{slug}": _get("getProgramme", "One trial programme with its municipalities and "
                                       "published practices", "Programme",
                                       [{"name": "slug", "in": "path", "required": True,
                                         "schema": {"type": "string", "pattern": NO_NUL}}], ("404",)),
            "/statistics": _get("statistics", "Counts of published entries (the statistics page's numbers)",
                                "Statistics"),
        },
        "components": {"schemas": {
            "Error": _object({"error": {"type": "string"}, "status": {"type": "integer"}}),
            "Municipality": _object(MUNICIPALITY),
            "EntrySummary": _object(SUMMARY),
            "Entry": _object(ENTRY),
            "EntryList": _object({"total": {"type": "integer"}, "page": {"type": "integer"},
                                  "per_page": {"type": "integer"}, "pages": {"type": "integer"},
                                  "results": _array(_ref("EntrySummary")), "facets": FACETS}),
            "SearchResponse": _object({
                "query": {"type": "string"}, "total": {"type": "integer"}, "page": {"type": "integer"},
                "per_page": {"type": "integer"}, "suggestion": NULLABLE_STRING, "corrected": {"type": "boolean"},
                "facets": FACETS,
                "results": _array(_object({
                    "slug": {"type": "string"}, "type": {"type": "string", "enum": TYPES},
                    "title": {"type": "string"}, "summary": {"type": "string"},
                    "language": {"type": "string", "enum": LANGUAGES}, "url": {"type": "string", "format": "uri"},
                    "highlight": {"type": "string", "description": "HTML: escaped text, matches in <mark>"},
                    "score": {"type": "number"},
                })),
            }),
            "SimilarResponse": _object({"title": {"type": "string"}, "results": _array(_object({
                "slug": {"type": "string"}, "type": {"type": "string", "enum": TYPES}, "title": {"type": "string"},
                "url": {"type": "string", "format": "uri"}, "score": {"type": "number"}}))}),
            "MunicipalityList": _object({"results": _array(_object({
                **MUNICIPALITY, "entries": {"type": "integer"}, "url": {"type": "string", "format": "uri"}}))}),
            "Statistics": _object({
                "published": {"type": "integer"},
                "types_by_year": _array(BY_YEAR), "themes_by_year": _array(BY_YEAR),
                "regions": _array(_object({"code": {"type": "string"}, "name_fi": {"type": "string"},
                                           "name_sv": {"type": "string"}, "count": {"type": "integer"}})),
                "norm_laws": _array(_object({"number": NULLABLE_STRING, "title": {"type": "string"},
                                             "count": {"type": "integer"}})),
                "norm_actions": COUNTS, "norm_proposer_roles": COUNTS, "norm_statuses": COUNTS,
                "practices_by_evidence_level": COUNTS,
                "programmes": _array(_object({"slug": {"type": "string"}, "title": {"type": "string"},
                                              "named_municipalities": {"type": "integer"},
                                              "stated_total": {"type": ["integer", "null"]},
                                              "practices": {"type": "integer"}})),
                "adoptions": ADOPTION_STATISTICS,
            }),
            "Adoption": ADOPTION,
            "ProgrammeSummary": _object(PROGRAMME),
            "ProgrammeList": _object({"results": _array(_ref("ProgrammeSummary"))}),
            "Programme": _object({
                **PROGRAMME, "body_markdown": {"type": "string"},
                "body_html": {"type": "string", "description": "sanitised HTML rendered from body_markdown"},
                "municipalities": _array(_ref("Municipality")),
                "links": _array(_object({"title": {"type": "string"}, "url": {"type": "string"}})),
                "practice_entries": _array(_ref("EntrySummary")),
                "feed": {"type": "string", "format": "uri", "description": "Atom feed of the practices"},
            }),
            "ThemeList": _object({"results": _array(_object({
                "slug": {"type": "string", "enum": list(THEME_SLUGS)}, "name_fi": {"type": "string"},
                "name_sv": {"type": "string"}, "name_en": {"type": "string"}, "entries": {"type": "integer"},
                "url": {"type": "string", "format": "uri"}}))}),
        }},
    }


@lru_cache(maxsize=1)
def refuses_blank() -> frozenset[str]:
    """Query parameters that a blank value cannot satisfy (an enum, an integer, a minimum length).

    api.py answers 400 to a blank one, so the behaviour follows the document (issue #13).
    """
    return frozenset(
        parameter["name"] for path in document("")["paths"].values() for parameter in path["get"]["parameters"]
        if parameter["in"] == "query" and ("enum" in parameter["schema"] or parameter["schema"].get("type") == "integer"
                                           or parameter["schema"].get("minLength", 0) > 0))
