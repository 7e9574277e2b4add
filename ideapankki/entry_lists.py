"""A published entry with everything its page lists, in two statements instead of ten.

The entry page shows an entry's municipalities, themes, tags, laws, contacts, links, typed links
and norm steps. Read lazily, each list was a statement of its own, and then one for the entries
that link here and one for the adoption counts: a quarter of an uncached page at 20,000 entries,
most of it SQLAlchemy's work per statement rather than the database's. Here the entry is read as
a plain row of its table (the ORM's loading of one Entry cost as much as the row itself) and its
lists come in one UNION ALL of small rows; the entry is an instance made from its row, transient
(the session never writes it), and its lists, set where loaded values are kept (no change events),
are plain objects with the columns of their tables as attributes (Plain): a page only reads them,
and an ORM instance per row (its state, the instrumented attribute reads, its clean-up) cost a
page some eight instances' worth of work for nothing.
The same statement tells whether any published entry links here and counts the organisations
that marked the entry, so the page asks for typed links and marks only when there are some.
Nothing is stored at write time: the page reads the tables every time. Both statements run on
the DBAPI cursor (db_reads.py): SQLAlchemy's execution around them cost five times their work.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter, itemgetter
from types import SimpleNamespace

import sqlalchemy as sa
from sqlmodel import Session

from . import db_reads
from .models import (Adoption, Contact, Entry, EntryLink, EntryMunicipality, EntryRelation, EntryState, EntryTag,
                     EntryTheme, LawReference, Municipality, NormStatusEvent, Organisation)

# The columns every member of the union gives, with their types (PostgreSQL wants them equal).
COLUMNS = (("kind", sa.String), ("id", sa.Integer), ("position", sa.Integer), ("t1", sa.Text), ("t2", sa.Text),
           ("t3", sa.Text), ("t4", sa.Text), ("t5", sa.Text), ("t6", sa.Text), ("n", sa.Integer),
           ("day", sa.Date), ("at", sa.DateTime), ("flag", sa.Boolean))
# What each kind of row puts in those columns: {attribute: column}
MUNICIPALITY = {"code": "t1", "name_fi": "t2", "name_sv": "t3", "region_code": "t4", "region_fi": "t5",
                "region_sv": "t6", "language_ratio": "n"}
SHAPES = {
    "law": (LawReference, {"id": "id", "position": "position", "title": "t1", "number": "t2", "section": "t3"}),
    "contact": (Contact, {"id": "id", "position": "position", "name": "t1", "role": "t2", "email": "t3",
                          "organisation": "t4", "phone": "t5", "agreed": "flag"}),
    "link": (EntryLink, {"id": "id", "position": "position", "title": "t1", "url": "t2"}),
    "relation": (EntryRelation, {"id": "id", "position": "position", "kind": "t1", "target_slug": "t2"}),
    "norm": (NormStatusEvent, {"id": "id", "status": "t1", "note": "t2", "amending_act": "t3", "reason": "t4",
                               "recorded_by": "n", "happened_on": "day", "recorded_at": "at"}),
}
COLLECTIONS = {"law": "laws", "contact": "contacts", "link": "links", "relation": "relations", "norm": "norm_events"}


@dataclass(frozen=True)
class EntryLists:
    """A published entry with its lists set; LINKED_HERE: some published entry links to it;
    ADOPTION_ROWS: (region code or None, status, organisations) as adoptions.counts reads them."""

    entry: Entry
    linked_here: bool
    adoption_rows: list[tuple[str | None, str, int]]


def _member(kind: str, table, where, **columns):
    """One SELECT of the union: KIND's rows of TABLE, the named COLUMNS filled, the others NULL."""
    values = [sa.literal_column(f"'{kind}'", sa.String).label("kind")]
    for name, type_ in COLUMNS[1:]:
        value = columns.get(name)
        values.append((sa.cast(sa.null(), type_) if value is None else value).label(name))
    return sa.select(*values).select_from(table).where(where)


def _entry_statement():
    """The published entry with slug :slug, as a row of its table's columns."""
    table = Entry.__table__
    return sa.select(table).where(table.c.slug == sa.bindparam("slug", type_=sa.String),
                                  table.c.state == EntryState.published.value)


def _statement():
    """The lists of the entry with id :entry and slug :slug, as one statement."""
    entry_id, slug = sa.bindparam("entry", type_=sa.Integer), sa.bindparam("slug", type_=sa.String)
    em, m = EntryMunicipality.__table__, Municipality.__table__
    source, relation = Entry.__table__.alias("source"), EntryRelation.__table__
    adoption, organisation = Adoption.__table__, Organisation.__table__
    members = [
        _member("municipality", em.join(m, m.c.code == em.c.municipality_code), em.c.entry_id == entry_id,
                position=em.c.position, **{column: m.c[name] for name, column in MUNICIPALITY.items()}),
        _member("theme", EntryTheme.__table__, EntryTheme.__table__.c.entry_id == entry_id,
                position=EntryTheme.__table__.c.position, t1=EntryTheme.__table__.c.theme_slug),
        _member("tag", EntryTag.__table__, EntryTag.__table__.c.entry_id == entry_id,
                position=EntryTag.__table__.c.position, t1=EntryTag.__table__.c.tag),
    ]
    for kind, (model, shape) in SHAPES.items():
        table = model.__table__
        members.append(_member(kind, table, table.c.entry_id == entry_id,
                               **{column: table.c[name] for name, column in shape.items()}))
    members.append(_member(
        "linked_here", relation.join(source, source.c.id == relation.c.entry_id),
        sa.and_(relation.c.target_slug == slug, source.c.state == EntryState.published.value),
        id=source.c.id))
    members.append(_member(
        "adoption", adoption.join(organisation, organisation.c.id == adoption.c.organisation_id)
        .outerjoin(m, m.c.code == organisation.c.municipality_code), adoption.c.entry_id == entry_id,
        t1=m.c.region_code, t2=adoption.c.status, n=sa.func.count(adoption.c.id))
        .group_by(m.c.region_code, adoption.c.status))
    return sa.union_all(*members)


ENTRY = db_reads.Read(_entry_statement)  # built and compiled once: building cost as much as running
LISTS = db_reads.Read(_statement)
AT = {name: position for position, (name, _type) in enumerate(COLUMNS)}  # a list row's value by column


class Plain(SimpleNamespace):
    """A row of an entry's list as its page reads it: every column of its table as an attribute
    (SHAPES and MUNICIPALITY name them all), no ORM state; a subclass per table names it (repr)."""


_PLAIN: dict[type, type] = {}


def _plain(model) -> type:
    found = _PLAIN.get(model)
    if found is None:
        found = _PLAIN[model] = type(f"{model.__name__}Row", (Plain,), {})
    return found


def _row_object(model, shape: dict[str, str], row, **more):
    """MODEL's columns with ROW's values (no validation: these rows were valid when written), as a
    Plain object: nothing writes it."""
    return _plain(model)(**{name: row[AT[column]] for name, column in shape.items()}, **more)


_position = attrgetter("position")


def _norm_order(event: NormStatusEvent):
    return event.happened_on, event.id


def load(source: Session | db_reads.Pooled, slug: str) -> EntryLists | None:
    """The published entry with SLUG and its lists, or None (drafts and rejected entries are not public).
    SOURCE: a session, or a reading request's pooled connection (db_reads.Pooled)."""
    entry = ENTRY.first_as(Entry, source, slug=slug)  # as the list rows: no ORM loading, never written
    if entry is None:
        return None
    found: dict[str, list] = {kind: [] for kind in ("municipality", "theme", "tag", *SHAPES)}
    linked_here, adoption_rows = False, []
    kind_at, t1, t2, n = AT["kind"], AT["t1"], AT["t2"], AT["n"]
    for row in LISTS.rows(source, entry=entry.id, slug=entry.slug):
        kind = row[kind_at]
        if kind == "linked_here":
            linked_here = True
        elif kind == "adoption":
            adoption_rows.append((row[t1], row[t2], row[n]))
        else:
            found[kind].append(row)
    _set(entry, found)
    return EntryLists(entry, linked_here, adoption_rows)


def _set(entry: Entry, found: dict[str, list]) -> None:
    """Set ENTRY's collections from the rows FOUND, each in the order its relationship gives:
    plain lists in the instances' __dict__, which is where loaded values are read from (the
    instances are transient and never written, so set_committed_value's bookkeeping, ten calls a
    page, bought nothing)."""
    by_position = itemgetter(AT["position"])
    links = []
    for row in sorted(found["municipality"], key=by_position):
        link = _row_object(EntryMunicipality, {"municipality_code": "t1", "position": "position"}, row,
                           entry_id=entry.id, municipality=_row_object(Municipality, MUNICIPALITY, row))
        links.append(link)
    lists = entry.__dict__
    lists["municipality_links"] = links
    lists["theme_links"] = [
        _row_object(EntryTheme, {"theme_slug": "t1", "position": "position"}, row, entry_id=entry.id)
        for row in sorted(found["theme"], key=by_position)]
    lists["tag_links"] = [
        _row_object(EntryTag, {"tag": "t1", "position": "position"}, row, entry_id=entry.id)
        for row in sorted(found["tag"], key=by_position)]
    for kind, (model, shape) in SHAPES.items():
        rows = [_row_object(model, shape, row, entry_id=entry.id) for row in found[kind]]
        rows.sort(key=_norm_order if kind == "norm" else _position)
        lists[COLLECTIONS[kind]] = rows
