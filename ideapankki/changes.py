"""Record every change to an entry in the change log (EntryChange), in the same transaction.

A session hook sees every flush, whichever code path made it (web, CLI, import), so no
writer can forget to tell the search index.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession

from .models import (Contact, Entry, EntryChange, EntryLink, EntryMunicipality, EntryRelation, EntryTag, EntryTheme,
                     LawReference, NormStatusEvent, utcnow)

_CHILDREN = (EntryMunicipality, EntryTheme, EntryTag, LawReference, Contact, EntryLink, NormStatusEvent,
             EntryRelation)


def _touched_entry_ids(session: OrmSession) -> set[int]:
    ids: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Entry) and obj.id is not None:
            ids.add(obj.id)
        elif isinstance(obj, _CHILDREN) and obj.entry_id is not None:
            ids.add(obj.entry_id)
    return ids


@event.listens_for(OrmSession, "after_flush")
def _log_entry_changes(session: OrmSession, _flush_context) -> None:
    ids = _touched_entry_ids(session)
    if ids:
        session.info["entries_changed"] = True
        now = utcnow()
        session.connection().execute(sa.insert(EntryChange), [{"entry_id": i, "at": now} for i in sorted(ids)])
