"""Atom 1.0 feeds of published entries: what a feed lists and its XML.

No Flask here: the web layer chooses the entries (browse filters or a search) and passes in
addresses and texts already in the reader's language. feedgen writes the XML, so escaping and
the Atom structure are a library's job, not string templates'.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone

from feedgen.feed import FeedGenerator
from sqlmodel import Session, select

from . import browse
from .models import Entry, EntryState, Organisation, as_utc

FEED_SIZE = 50  # a feed shows the latest this many published entries


@dataclass
class Category:
    term: str
    label: str
    scheme: str


@dataclass
class Item:
    """One Atom entry: a published entry as the reader's feed shows it."""

    id: str
    url: str
    title: str
    summary: str
    content_html: str
    published: datetime
    updated: datetime
    author: str
    categories: list[Category] = field(default_factory=list)


@dataclass
class FeedInfo:
    id: str
    title: str
    subtitle: str
    self_url: str
    page_url: str  # the HTML page that lists the same entries
    language: str


def latest_published(session: Session, filters: browse.Filters, limit: int = FEED_SIZE) -> list[Entry]:
    """The newest published entries matching FILTERS, as the browse pages order them."""
    return browse.list_entries(session, filters, 1, limit).entries


def only_published(entries: list[Entry]) -> list[Entry]:
    """Keep published entries only: the guard that holds whichever way the list was made."""
    return [e for e in entries if e.state == EntryState.published.value]


def organisation_names(session: Session, entries: list[Entry]) -> dict[int, str]:
    """Names of the organisations that submitted ENTRIES, by id."""
    ids = {e.organisation_id for e in entries if e.organisation_id is not None}
    if not ids:
        return {}
    return dict(session.exec(select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))).all())


def published_at(entry: Entry) -> datetime:
    """The publication date as a moment: midnight UTC of published_on."""
    day = entry.published_on or as_utc(entry.updated_at).date()
    return datetime.combine(day, time(), timezone.utc)


def updated_at(entry: Entry) -> datetime:
    """When the entry last changed, never before it was published."""
    return max(published_at(entry), as_utc(entry.updated_at))


def last_modified(entry: Entry) -> date:
    return updated_at(entry).date()


def render(info: FeedInfo, items: list[Item]) -> bytes:
    """The Atom document for INFO with ITEMS (already newest first)."""
    fg = FeedGenerator()
    fg.id(info.id)
    fg.title(info.title)
    fg.subtitle(info.subtitle)
    fg.language(info.language)
    fg.link(href=info.self_url, rel="self", type="application/atom+xml")
    fg.link(href=info.page_url, rel="alternate", type="text/html")
    fg.author(name="Ideapankki")
    fg.updated(max((i.updated for i in items), default=datetime.now(timezone.utc)))
    for item in items:
        entry = fg.add_entry(order="append")
        entry.id(item.id)
        entry.title(item.title)
        entry.link(href=item.url, rel="alternate", type="text/html")
        entry.summary(item.summary)
        if item.content_html:
            entry.content(item.content_html, type="html")
        entry.published(item.published)
        entry.updated(item.updated)
        entry.author(name=item.author)
        for category in item.categories:
            entry.category(term=category.term, label=category.label, scheme=category.scheme)
    return fg.atom_str(pretty=True)
