"""Trial programmes: save and read them, their participants by region, their published practices.

A programme (e.g. Työllisyyden kuntakokeilut 2021–2023) is editorial reference content imported
from content/programmes/; practices join one through Entry.programme_slug. Only published
practices are ever returned from here. No Flask: the pages, the API and the feed call these.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from . import db_reads, markdown
from .browse import PUBLISHED
from .models import Entry, EntryType, Municipality, Programme, ProgrammeLink, ProgrammeMunicipality, utcnow
from .programme_format import ProgrammeDocument, serialize
from .reference import MunicipalityIndex


def resolve_municipalities(doc: ProgrammeDocument, index: MunicipalityIndex, path: str) -> list[str]:
    """Check DOC's participants against the register; return their municipality codes."""
    return index.codes(doc.municipalities, path)


def get(session: Session, slug: str) -> Programme | None:
    return session.get(Programme, slug)


def _programme_statement():
    table = Programme.__table__
    return sa.select(table).where(table.c.slug == sa.bindparam("slug", type_=sa.String))


PROGRAMME = db_reads.Read(_programme_statement)


def read(source: db_reads.Pooled, slug: str) -> Programme | None:
    """get's programme read by a fixed statement on SOURCE (a reading request's pooled connection,
    no session): its columns on a transient instance (Read.first_as, as entry_lists.load builds the entry)."""
    return PROGRAMME.first_as(Programme, source, slug=slug)


def all_programmes(session: Session) -> list[Programme]:
    """Every programme, the most recent first."""
    return list(session.exec(select(Programme).order_by(Programme.period_start.desc(), Programme.title, Programme.slug)))


def save_document(session: Session, doc: ProgrammeDocument, codes: list[str]) -> tuple[Programme, bool]:
    """Create or update the programme DOC describes; return it and whether anything changed."""
    programme = session.get(Programme, doc.slug)
    if programme is not None and serialize(to_document(programme)) == serialize(doc):
        return programme, False
    if programme is None:
        programme = Programme(slug=doc.slug, title=doc.title, summary=doc.summary, period_start=doc.period_start)
        session.add(programme)
    for name in ("title", "summary", "language", "period_start", "period_end", "law_title", "law_number",
                 "law_confirmed", "areas", "participants_total"):
        setattr(programme, name, getattr(doc, name))
    programme.body_md, programme.body_html = doc.body, markdown.render(doc.body)
    programme.updated_at = utcnow()
    programme.participant_links.clear()
    programme.links.clear()
    session.flush()  # the link rows have natural keys that the new rows reuse
    programme.participant_links = [ProgrammeMunicipality(municipality_code=c, position=i) for i, c in enumerate(codes)]
    programme.links = [ProgrammeLink(position=i, title=link["title"], url=link["url"])
                       for i, link in enumerate(doc.links)]
    session.flush()
    return programme, True


def to_document(programme: Programme) -> ProgrammeDocument:
    """Return PROGRAMME in the content format's terms (municipalities by Finnish name)."""
    return ProgrammeDocument(
        slug=programme.slug, title=programme.title, summary=programme.summary, language=programme.language,
        period_start=programme.period_start, period_end=programme.period_end,
        law_title=programme.law_title, law_number=programme.law_number, law_confirmed=programme.law_confirmed,
        areas=programme.areas, participants_total=programme.participants_total,
        municipalities=[m.name_fi for m in programme.municipalities],
        links=[{"title": link.title, "url": link.url} for link in programme.links],
        body=programme.body_md,
    )


def published_practices(session: Session, slug: str) -> list[Entry]:
    """The programme's published practices, newest first."""
    return list(session.exec(
        select(Entry).where(PUBLISHED, Entry.type == EntryType.practice.value, Entry.programme_slug == slug)
        .order_by(Entry.published_on.desc().nulls_last(), Entry.title, Entry.id)
    ))


def practice_counts(session: Session) -> dict[str, int]:
    """Number of published practices per programme slug."""
    return dict(session.exec(
        select(Entry.programme_slug, sa.func.count(Entry.id))
        .where(PUBLISHED, Entry.programme_slug.is_not(None)).group_by(Entry.programme_slug)
    ).all())


@dataclass
class RegionGroup:
    code: str
    name: str
    municipalities: list[Municipality]


def participants_by_region(programme: Programme, language: str) -> list[RegionGroup]:
    """The named participants grouped by region, regions and municipalities sorted by name in LANGUAGE."""
    swedish = language == "sv"
    groups: dict[str, RegionGroup] = {}
    for m in programme.municipalities:
        group = groups.setdefault(m.region_code, RegionGroup(m.region_code, m.region_sv if swedish else m.region_fi, []))
        group.municipalities.append(m)
    for group in groups.values():
        group.municipalities.sort(key=lambda m: (m.name_sv if swedish else m.name_fi).casefold())
    return sorted(groups.values(), key=lambda g: g.name.casefold())
