"""What the entry page's Python-built markup (entry_html.py) shares: the words of the page's language,
escaping as the template escaped, dates and the citation as the template's helpers wrote them.

The words are built once per app and locale; the dates and the citation take the page's locale
from them instead of asking Flask-Babel's context (some ten lookups a page), with the same text:
templating.long_date's formats, citation.citation_text's reference.
"""

from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import get_translations
from markupsafe import Markup

from ...structured import shown_contacts
from .. import page_gettext
from ..citation import responsible
from ..i18n import language
from ..template_escape import escape
from ..templating import _day, long_date

try:  # markupsafe's C escape of a str, without a Markup made per value
    from markupsafe._speedups import _escape_inner as _escaped_str
except ImportError:  # another markupsafe: its public escape, the same text
    def _escaped_str(text: str) -> str:
        return str(escape(text))

KEY = "ideapankki.entry_words"


def e(value) -> str:
    """VALUE as `{{ value }}` writes it into an HTML page."""
    return _escaped_str(value) if value.__class__ is str else str(escape(value))


def words() -> dict:
    """What every entry page in the request's language shares, built once per app and locale: the
    label tables (page_gettext's, Markup) and the texts the template's `_("…")` gave (not escaped)."""
    locale = language()
    kept = current_app.extensions.setdefault(KEY, {})
    found = kept.get(locale)
    if found is not None:
        return found
    translations = get_translations()

    def _(msgid: str) -> str:  # the template's folded `_`: the text, `% {}` applied
        return translations.ugettext(msgid) % {}

    gettext = translations.ugettext  # a text with variables, filled in per page

    found = kept[locale] = {
        "locale": locale, "labels": page_gettext._callables(current_app.extensions[page_gettext.KEY])["labels"],
        "ugettext": translations.ugettext, "ungettext": translations.ungettext, "site": _("Ideapankki"),
        "edit": _("Edit this entry"),
        "edit_help": _("A moderator reviews your changes; until then the published text stays as it is."),
        "versions": _("This entry in other languages:"), "details": _("Details"),
        "published": _("Published"), "period": _("Period"), "trial_status": _("Trial status"),
        "programme": _("Trial programme"), "origin": _("Origin"), "keywords": _("Keywords"),
        "entry_language": _("Language of the entry"), "permanent": _("Permanent address"),
        "proposed_action": _("Proposed action"), "why": _("Why?"), "savings": _("Expected savings"),
        "time_saved": _("Time saved"), "people": _("People affected"), "proposed_by": _("Proposed by"),
        "laws": _("Laws and regulations"), "finlex": _("the law on Finlex"), "linked": _("Linked entries"),
        "links": _("Links"), "cite": _("Cite this entry"), "copy": _("Copy this reference to cite the entry:"),
        "history": _("Version history"), "follow": _("Follow by e-mail"), "report": _("Report an error"),
        "similar": _("Similar entries"), "updated": Markup(gettext("Updated %(date)s")), "plurals": {},
    }
    return found


def ngettext(singular: str, plural: str, count: int, words: dict) -> str:
    """The page's ngettext (web/page_gettext.py) in WORDS' language: the form for COUNT, `num` filled in."""
    kept = words["plurals"]
    found = kept.get((singular, count))
    if found is None:
        if len(kept) >= 1024:
            kept.clear()
        found = kept[(singular, count)] = str(Markup(words["ungettext"](singular, plural, count)) % {"num": count})
    return found


def day(value, locale: str) -> str:
    """templating.long_date(VALUE) in LOCALE, the page's language."""
    if value.__class__ is date:
        return _day(value, locale)
    return long_date(value)


def citation(entry, words: dict, address: str) -> str:
    """citation.citation_text(ENTRY) (accessed today), the entry's absolute ADDRESS already built."""
    locale, gettext = words["locale"], words["ugettext"]
    places = entry.municipalities
    values = {
        "title": entry.title.rstrip("."),
        "who": (", ".join([m.name_sv if locale == "sv" else m.name_fi for m in places]) if places
                else responsible(entry)),
        "published": day(entry.published_on, locale) if entry.published_on else "",
        "url": address,
        "accessed": day(date.today(), locale),
    }
    if values["who"]:
        text = gettext("%(title)s. %(who)s. Ideapankki, published %(published)s. %(url)s (accessed %(accessed)s).")
    else:
        text = gettext("%(title)s. Ideapankki, published %(published)s. %(url)s (accessed %(accessed)s).")
    text %= values
    people = "; ".join(", ".join(filter(None, (c.name, c.role, c.organisation, c.email, c.phone)))
                       for c in shown_contacts(entry.contacts))
    return text + " " + gettext("Contact: %(people)s.") % {"people": people} if people else text


