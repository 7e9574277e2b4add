"""A member's new entry written as rows: the INSERTs the ORM's flush of it would run, as statements.

A submission writes a new entry, its link rows, revision 1 and the change-log row. Through the
ORM (entries.save_document) that cost about 5 ms of CPU a submission, most of it the unit of
work's bookkeeping for eight new objects and SQLModel's construction of each; these statements,
built once and run on the session's connection, about 1 ms. The rows are the same (every column
the ORM writes is given, the rest take the same column defaults; tests/db/test_entry_rows.py
compares them with save_document's), the change log is told (changes.log_written, what its flush
hook does for the ORM), and the entry is then read back as the session's own instance.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from . import changes
from .content import EntryDocument, serialize
from .models import (Contact, Entry, EntryLink, EntryMunicipality, EntryRelation, EntryTag, EntryTheme, LawReference,
                     Revision)

_INSERT = {model: sa.insert(model.__table__) for model in (Entry, EntryMunicipality, EntryTheme, EntryTag,
                                                          LawReference, Contact, EntryLink, EntryRelation, Revision)}


def children(doc: EntryDocument, codes: list[str]) -> list[tuple[type, list[dict]]]:
    """The entry's related rows DOC and CODES describe (without their entry_id), by model: what
    insert_new inserts and entries.apply_document makes the ORM's rows of."""
    return [
        (EntryMunicipality, [{"municipality_code": c, "position": i} for i, c in enumerate(codes)]),
        (EntryTheme, [{"theme_slug": s, "position": i} for i, s in enumerate(doc.themes)]),
        (EntryTag, [{"tag": t, "position": i} for i, t in enumerate(doc.tags)]),
        (LawReference, [{"position": i, **law} for i, law in enumerate(doc.laws)]),
        (Contact, [{"position": i, **c} for i, c in enumerate(doc.contacts)]),
        (EntryLink, [{"position": i, **link} for i, link in enumerate(doc.links)]),
        (EntryRelation, [{"position": i, "kind": r["kind"], "target_slug": r["entry"]}
                         for i, r in enumerate(doc.relations)]),
    ]


def insert_new(session: Session, doc: EntryDocument, codes: list[str], values: dict, *,
               author_id: int | None) -> Entry:
    """Insert the entry whose row is VALUES (entries.entry_values with its slug, state, author and
    organisation; the slug just found free), its rows from DOC and CODES and its revision 1 by
    AUTHOR_ID, in SESSION's transaction; return the entry as SESSION's instance."""
    session.flush()  # anything the ORM holds goes first, as it would in one flush
    connection = session.connection()
    # created as it is last updated (the ORM's default came a few µs before apply_document's update)
    entry_id = connection.execute(_INSERT[Entry], {"created_at": values["updated_at"], **values}).inserted_primary_key[0]
    for model, rows in children(doc, codes):
        for row in rows:  # one at a time: a row's missing keys take their defaults, as in the ORM
            connection.execute(_INSERT[model], {"entry_id": entry_id, **row})
    connection.execute(_INSERT[Revision], {"entry_id": entry_id, "number": 1, "source": serialize(doc),
                                           "author_id": author_id})
    changes.log_written(session, {entry_id})
    return session.get(Entry, entry_id)
