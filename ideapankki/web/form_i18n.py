"""WTForms' own messages in the reader's language, the catalogue loaded once per language a process.

Flask-WTF (flask_wtf.i18n) loads WTForms' message catalogue from disk for every request that
builds a form and asks it a string: the entry form asks for its row lists' default labels, so
every form page and every submission paid ~0.3 ms to read and parse the same .mo file. The
catalogue is a file of the installed WTForms, so one per language is kept (three at most).
"""

from __future__ import annotations

from babel import support
from flask import current_app, has_request_context
from flask_wtf import FlaskForm
from flask_wtf.i18n import translations as flask_wtf_translations
from wtforms.i18n import messages_path

from .i18n import language

_CATALOGUES: dict[str, support.Translations] = {}


def _catalogue() -> support.Translations | None:
    """Flask-WTF's catalogue for this request's language (None where it would use none)."""
    if not has_request_context() or "babel" not in current_app.extensions:
        return None
    key = language()
    found = _CATALOGUES.get(key)
    if found is None:
        found = _CATALOGUES[key] = support.Translations.load(messages_path(), [key], domain="wtforms")
    return found


class KeptTranslations:
    """flask_wtf.i18n.translations with the catalogue kept (what a form's Meta.get_translations gives)."""

    def gettext(self, string: str) -> str:
        catalogue = _catalogue()
        return string if catalogue is None else catalogue.ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        catalogue = _catalogue()
        if catalogue is None:
            return singular if n == 1 else plural
        return catalogue.ungettext(singular, plural, n)


KEPT = KeptTranslations()


def get_translations(meta, form):
    """A FlaskForm Meta's get_translations: Flask-WTF's choice, with its translations kept."""
    chosen = FlaskForm.Meta.get_translations(meta, form)
    return KEPT if chosen is flask_wtf_translations else chosen
