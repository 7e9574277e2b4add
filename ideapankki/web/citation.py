"""What an entry page offers for sharing and citing: Open Graph locales and a citation text."""

from __future__ import annotations

from datetime import date

from flask import Flask, url_for

from ..models import Entry, Organisation
from ..structured import shown_contacts
from .database import db_session
from .page_gettext import gettext as _
from . import labels
from .templating import long_date

# Open Graph wants language_TERRITORY; the bank is Finnish, its English is British.
OG_LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}


def og_locale(language: str) -> str:
    return OG_LOCALES.get(language, "fi_FI")


def responsible(entry: Entry) -> str:
    """Who the entry is about or from: its municipalities, else the submitting organisation."""
    if entry.municipalities:
        return ", ".join(labels.municipality_name(m) for m in entry.municipalities)
    if entry.organisation_id is not None:
        organisation = db_session().get(Organisation, entry.organisation_id)
        if organisation is not None:
            return organisation.name
    return ""


def citation_text(entry: Entry, accessed: date | None = None) -> str:
    """A ready-to-copy reference to ENTRY in the reader's language, accessed today unless told."""
    values = {
        "title": entry.title.rstrip("."),
        "who": responsible(entry),
        "published": long_date(entry.published_on),
        "url": url_for("public.entry", slug=entry.slug, _external=True),
        "accessed": long_date(accessed or date.today()),
    }
    if values["who"]:
        text = _("%(title)s. %(who)s. Ideapankki, published %(published)s. %(url)s (accessed %(accessed)s).",
                 **values)
    else:
        text = _("%(title)s. Ideapankki, published %(published)s. %(url)s (accessed %(accessed)s).", **values)
    people = ["; ".join(", ".join(filter(None, (c.name, c.role, c.organisation, c.email, c.phone)))
                        for c in shown_contacts(entry.contacts))]
    return text + " " + _("Contact: %(people)s.", people=people[0]) if people[0] else text


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(og_locale=og_locale, og_locales=OG_LOCALES, citation_text=citation_text)
