"""What an entry page offers for sharing and citing: Open Graph locales and who a citation names.

The citation itself is written with the page (views/entry_words.citation)."""

from __future__ import annotations

from ..models import Entry, Organisation
from .database import db_session
from . import labels

# Open Graph wants language_TERRITORY; the bank is Finnish, its English is British.
OG_LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}


def responsible(entry: Entry) -> str:
    """Who the entry is about or from: its municipalities, else the submitting organisation."""
    if entry.municipalities:
        return ", ".join(labels.municipality_name(m) for m in entry.municipalities)
    if entry.organisation_id is not None:
        organisation = db_session().get(Organisation, entry.organisation_id)
        if organisation is not None:
            return organisation.name
    return ""
