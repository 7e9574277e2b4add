"""Create, update and read entries; convert between Entry rows and EntryDocuments.

Functions take a session and flush; the caller's boundary commits.
"""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa
from sqlmodel import Session, select

from . import entry_rows, limits, markdown, structured
from .db import lock
from .content import PROPOSAL_KEYS, ContentError, EntryDocument, relation_type_problem, serialize
from .models import (
    Contact,
    Entry,
    EntryLink,
    EntryMunicipality,
    EntryRelation,
    EntryState,
    EntryTag,
    EntryTheme,
    LawReference,
    Revision,
    User,
    utcnow,
)
from .reference import THEME_SLUGS, MunicipalityIndex
from .transitions import NotAllowed, can_view


def resolve_references(doc: EntryDocument, index: MunicipalityIndex, path: str) -> list[str]:
    """Check DOC's municipalities and themes against the register; return municipality codes."""
    codes = index.codes(doc.municipalities, path)
    for i, slug in enumerate(doc.themes):
        if slug not in THEME_SLUGS:
            raise ContentError(path, f"themes[{i}]", f"{slug!r} is not a theme (allowed: {', '.join(THEME_SLUGS)})")
    return codes


def get_by_slug(session: Session, slug: str) -> Entry | None:
    """Return the entry with SLUG in any state, or None."""
    return session.exec(select(Entry).where(Entry.slug == slug)).first()


def save_document(
    session: Session,
    doc: EntryDocument,
    municipality_codes: list[str],
    *,
    author: User | None = None,
    new_state: EntryState = EntryState.draft,
    body_html: str | None = None,
) -> tuple[Entry, bool]:
    """Create or update the entry DOC describes; return it and whether anything changed.

    A new revision is written only when the canonical text differs from the latest one,
    so re-importing unchanged content is a no-op. BODY_HTML is markdown.render(doc.body) when the
    caller rendered it already (before taking the write lock). A member's new entry is written
    by insert_new (entry_rows.py) instead.
    """
    source = serialize(doc)
    entry = get_by_slug(session, doc.slug)
    new = entry is None
    if new:
        entry = Entry(slug=doc.slug, type=doc.type, title=doc.title, summary=doc.summary, state=new_state.value)
        if author is not None:
            entry.author_id, entry.organisation_id = author.id, author.organisation_id
        session.add(entry)
    else:
        lock(session, entry)  # concurrent saves of one entry queue for the next revision number
        if _latest_source(session, entry) == source:
            return entry, False
    apply_document(session, entry, doc, municipality_codes, body_html)
    number = 1 if new else 1 + (session.exec(select(Revision.number).where(Revision.entry_id == entry.id)
                                              .order_by(Revision.number.desc())).first() or 0)
    session.add(Revision(entry_id=entry.id, number=number, source=source, author_id=author.id if author else None))
    session.flush()
    return entry, True


def _latest_source(session: Session, entry: Entry) -> str | None:
    return session.exec(
        select(Revision.source).where(Revision.entry_id == entry.id).order_by(Revision.number.desc())
    ).first()


def apply_document(session: Session, entry: Entry, doc: EntryDocument, municipality_codes: list[str],
                   body_html: str | None = None) -> None:
    """Copy DOC's fields onto ENTRY, rendering the body (unless given) and replacing the related rows."""
    for name, value in entry_values(doc, body_html).items():
        setattr(entry, name, value)
    if entry.id is not None:  # a new entry has no related rows yet: nothing to load and clear
        for name in _RELATED.values():
            getattr(entry, name).clear()
        # Flush the deletions first: the link tables have natural keys that the new rows reuse.
        session.flush()
    for model, rows in entry_rows.children(doc, municipality_codes):
        setattr(entry, _RELATED[model], [model(**row) for row in rows])
    session.flush()


# The relationship of Entry that holds each model's rows (entry_rows.children gives them by model).
_RELATED = {EntryMunicipality: "municipality_links", EntryTheme: "theme_links", EntryTag: "tag_links",
            LawReference: "laws", Contact: "contacts", EntryLink: "links", EntryRelation: "relations"}


def entry_values(doc: EntryDocument, body_html: str | None = None) -> dict:
    """The entry row's columns that DOC gives (all but the slug, state, author and organisation),
    rendering the body unless BODY_HTML is given: what apply_document sets, and insert_new inserts."""
    details = dict(doc.details)
    values = {"type": doc.type, "title": doc.title, "summary": doc.summary, "language": doc.language,
              "body_md": doc.body, "body_html": markdown.render(doc.body) if body_html is None else body_html,
              "published_on": doc.published, "period_start": doc.period_start, "period_end": doc.period_end,
              "trial_status": doc.trial_status, "origin": doc.origin, "programme_slug": doc.programme,
              "evidence_level": details.pop("evidence_level", None),
              "evidence_proposed": details.pop("evidence_proposed", None)}
    values["details"] = structured.to_json(details)
    for key in PROPOSAL_KEYS:
        values[f"proposal_{key}"] = doc.proposal.get(key) or None
    values["updated_at"] = utcnow()
    return values


OPERATOR = object()  # relation_problems' viewer for `ideapankki import`: the operator sees every entry


def relation_problems(session: Session, doc: EntryDocument, viewer: User | object,
                      known: dict[str, tuple[str, str]] | None = None) -> list[tuple[str, str]]:
    """(key, message) for each relation of DOC whose target is missing or does not fit.

    A target must exist in the database or among KNOWN (slug → (type, language): the other files
    of an import), and VIEWER (the member writing, or OPERATOR) must be allowed to see it. A target
    they may not see gets the same message as one that does not exist, naming neither its type nor
    its language, so the form cannot tell a member that an unpublished entry exists. A translation
    must be in another language.
    """
    problems = []
    for i, relation in enumerate(doc.relations):
        target_type, target_language = (known or {}).get(relation["entry"], (None, None))
        if target_type is None:
            target = get_by_slug(session, relation["entry"])
            if target is not None and (viewer is OPERATOR or can_view(viewer, target)):
                target_type, target_language = target.type, target.language
        if target_type is None:
            problems.append((f"relations[{i}].entry", f"there is no entry {relation['entry']!r} to link to"))
            continue
        if relation["kind"] == "translation_of" and target_language == doc.language:
            problems.append((f"relations[{i}].entry", "a translation must be in another language"))
            continue
        problem = relation_type_problem(relation["kind"], doc.type, target_type)
        if problem:
            problems.append((f"relations[{i}].kind", problem))
    return problems


def to_document(entry: Entry) -> EntryDocument:
    """Return ENTRY in the content format's terms (municipalities by Finnish name)."""
    return EntryDocument(
        slug=entry.slug,
        type=entry.type,
        title=entry.title,
        summary=entry.summary,
        language=entry.language,
        municipalities=[m.name_fi for m in entry.municipalities],
        themes=entry.theme_slugs,
        tags=entry.tags,
        published=entry.published_on,
        period_start=entry.period_start,
        period_end=entry.period_end,
        trial_status=entry.trial_status,
        origin=entry.origin,
        proposal={key: getattr(entry, f"proposal_{key}") for key in PROPOSAL_KEYS if getattr(entry, f"proposal_{key}")},
        laws=[_fields(law, ("title", "number", "section")) for law in entry.laws],
        contacts=[{**_fields(c, ("name", "role", "organisation", "email", "phone")),
                   **({} if c.agreed else {"agreed": False})} for c in entry.contacts],
        links=[_fields(link, ("title", "url")) for link in entry.links],
        relations=[{"kind": r.kind, "entry": r.target_slug} for r in entry.relations],
        details=structured.from_json({**(entry.details or {}), **_evidence(entry)}),
        body=entry.body_md,
        programme=entry.programme_slug,
    )


def _evidence(entry: Entry) -> dict[str, int]:
    return {key: getattr(entry, key) for key in ("evidence_level", "evidence_proposed") if getattr(entry, key)}


def _fields(row, names: tuple[str, ...]) -> dict[str, str]:
    return {name: getattr(row, name) for name in names if getattr(row, name)}


_SLUG_TAKEN = select(Entry.id).where(Entry.slug == sa.bindparam("slug"))


def unique_slug(session: Session, title: str) -> str:
    """Make a readable, unused slug from TITLE (ä→a, ö→o; a number appended when taken)."""
    base = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", title.lower())
                  .encode("ascii", "ignore").decode()).strip("-")[:80].strip("-") or "merkinta"
    slug, n = base, 1
    session.flush()  # session.exec's autoflush: the lookups below run on the connection (0.13 → 0.03 ms each)
    connection = session.connection()
    while connection.execute(_SLUG_TAKEN, {"slug": slug}).first() is not None:
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_entry(session: Session, doc: EntryDocument, codes: list[str], author: User,
                 per_hour: int = limits.SUBMISSIONS_PER_HOUR, body_html: str | None = None,
                 state: EntryState = EntryState.draft) -> Entry:
    """Save a new entry written by AUTHOR for their organisation (BODY_HTML: see save_document): a
    draft, or in STATE, the target of the move that sends it at once (workflow.move_for_new, whose
    audit row the caller then writes).

    Raises limits.TooManySubmissions when AUTHOR has started PER_HOUR entries within the hour.
    """
    if not author.can_submit:
        raise NotAllowed("the account may not submit entries yet")
    limits.check_submission_rate(session, author, per_hour)
    doc.slug = unique_slug(session, doc.title)
    values = {**entry_values(doc, body_html), "slug": doc.slug, "state": state.value, "author_id": author.id,
              "organisation_id": author.organisation_id}
    return entry_rows.insert_new(session, doc, codes, values, author_id=author.id)
