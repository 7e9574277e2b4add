"""Typed links between entries, seen from either end, published entries only.

An entry names its links in its own text (the content format's `relations`); the other end
learns of them here, so an idea shows the trial it led to and the trial shows the idea.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from .browse import PUBLISHED
from .models import Entry, EntryRelation, RelationKind

OUTGOING, INCOMING = "outgoing", "incoming"
SYMMETRIC = {RelationKind.similar_to.value, RelationKind.translation_of.value}


@dataclass
class Link:
    kind: str  # a RelationKind value
    direction: str  # OUTGOING: this entry names the other; INCOMING: the other names this one
    entry: Entry


def links(session: Session, entry: Entry, linked_here: bool = True) -> list[Link]:
    """ENTRY's typed links whose other end is published, outgoing first, in the entry's order.
    LINKED_HERE False: the caller knows no published entry links to ENTRY (entry_lists.load)."""
    targets = [r.target_slug for r in entry.relations]
    published = {e.slug: e for e in session.exec(select(Entry).where(Entry.slug.in_(targets), PUBLISHED))} \
        if targets else {}
    found = [Link(r.kind, OUTGOING, published[r.target_slug]) for r in entry.relations if r.target_slug in published]
    named = {(link.kind, link.entry.id) for link in found}
    sources = session.exec(
        select(EntryRelation.kind, Entry).join(Entry, Entry.id == EntryRelation.entry_id)
        .where(EntryRelation.target_slug == entry.slug, PUBLISHED).order_by(Entry.title, Entry.id)
    ).all() if linked_here else []
    for kind, source in sources:
        # "similar to" and translations are symmetric: when both name each other, show it once
        if not (kind in SYMMETRIC and (kind, source.id) in named):
            found.append(Link(kind, INCOMING, source))
    return found


def records(session: Session, entry: Entry, url_for_slug) -> list[dict]:
    """The links as the API and the exports give them."""
    return [{"kind": link.kind, "direction": link.direction, "slug": link.entry.slug,
             "url": url_for_slug(link.entry.slug)} for link in links(session, entry)]
