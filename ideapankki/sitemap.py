"""What a sitemap lists: every published entry and every theme and municipality page that has one.

No Flask: returns slugs, codes and dates; the web layer turns them into addresses. Pages with
nothing published are left out, so a search engine is not sent to empty listings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from xml.etree import ElementTree

import sqlalchemy as sa
from sqlmodel import Session, select

from .browse import PUBLISHED
from .models import Entry, EntryMunicipality, EntryTheme, as_utc

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


@dataclass
class PublicPages:
    """Keys of the public pages with their last change, each as [(key, date)]."""

    entries: list[tuple[str, date]]
    themes: list[tuple[str, date]]
    municipalities: list[tuple[str, date]]

    @property
    def newest(self) -> date | None:
        return max((d for _slug, d in self.entries), default=None)


def _day(published: date | None, updated: datetime | None) -> date:
    days = [d for d in (published, as_utc(updated).date() if updated else None) if d]
    return max(days)


def public_pages(session: Session) -> PublicPages:
    """Published entries, and the themes and municipalities that have any, with last-modified dates."""
    entries = session.exec(
        select(Entry.slug, Entry.published_on, Entry.updated_at).where(PUBLISHED).order_by(Entry.slug)
    ).all()

    def grouped(key, link, on):
        query = (select(key, sa.func.max(Entry.published_on), sa.func.max(Entry.updated_at))
                 .join(link, on).where(PUBLISHED).group_by(key).order_by(key))
        return [(k, _day(p, u)) for k, p, u in session.exec(query).all()]

    return PublicPages(
        entries=[(slug, _day(p, u)) for slug, p, u in entries],
        themes=grouped(EntryTheme.theme_slug, EntryTheme, EntryTheme.entry_id == Entry.id),
        municipalities=grouped(EntryMunicipality.municipality_code, EntryMunicipality,
                               EntryMunicipality.entry_id == Entry.id),
    )


def render(urls: list[tuple[str, date | None]]) -> bytes:
    """A sitemap document (sitemaps.org 0.9) of URLS with their optional last-modified dates."""
    root = ElementTree.Element("urlset", xmlns=NAMESPACE)
    for loc, lastmod in urls:
        url = ElementTree.SubElement(root, "url")
        ElementTree.SubElement(url, "loc").text = loc
        if lastmod:
            ElementTree.SubElement(url, "lastmod").text = lastmod.isoformat()
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
