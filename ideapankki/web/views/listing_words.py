"""The fixed words of a listing's markup (cards, facet sidebar, page links, results block, the
search page's results), translated once per app and language: one table for every piece.

listing_html, facets, listing_block and results_block each used to keep their own table of the
same words ("Narrow down", the facet titles…) per locale; they now share this one. What is
in it depends only on the code's catalogues and the label tables (web/page_gettext.py), so
one entry per language lives as long as the app.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext
from markupsafe import Markup, escape

KEY = "ideapankki.listing_words"


def words(context) -> dict:
    """The page's language's words: the badges and language notes from the page's label tables,
    every fixed string of the listing markup (Markup: the catalogue's text as the templates output
    it), and "locale"."""
    locale = context["current_locale"]()
    kept = current_app.extensions.setdefault(KEY, {})
    found = kept.get(locale)
    if found is None:
        found = kept[locale] = _build(locale, context["labels"])
    return found


def _build(locale: str, labels) -> dict:
    return {
        "locale": locale,
        "badge": {kind: f'<span class="badge badge-{escape(kind)}">{escape(label)}</span>'
                  for kind, label in labels.TYPE_LABELS.items()},
        "lang_note": {code: f'<span class="lang-note">({escape(label)})</span>'
                      for code, label in labels.LANGUAGE_LABELS.items()},
        "titles": facet_titles(),
        # cards, sidebar, page links (listing_html, facets)
        "and_more": Markup(gettext("and %(count)s more")),
        "narrow": Markup(gettext("Narrow down")),
        "selected": Markup(gettext("(selected, remove filter)")),
        "pages": Markup(gettext("Pages")),
        "previous": Markup(gettext("Previous page")),
        "next": Markup(gettext("Next page")),
        # the results block (listing_block, results_block)
        "in_use": Markup(gettext("in use")),
        "active": Markup(gettext("Active filters")),
        "remove": Markup(gettext("(remove filter)")),
        "clear": Markup(gettext("Clear all filters")),
        "empty": Markup(gettext("No published entries match these filters.")),
        "feed": Markup(gettext("Follow these entries as a feed (Atom)")),
        "follow": Markup(gettext("Follow by e-mail")),
        # the search page's results (results_block)
        "as_data": Markup(gettext("The same results as data:")),
        "search_feed": Markup(gettext("Follow this search as a feed (Atom)")),
    }


def facet_titles() -> dict[str, Markup]:
    """Each facet's heading in the request's language (also the active filters' chip names)."""
    return {"type": Markup(gettext("Type")), "theme": Markup(gettext("Theme")),
            "region": Markup(gettext("Region")), "municipality": Markup(gettext("Municipality")),
            "year": Markup(gettext("Year")), "trial_status": Markup(gettext("Trial status")),
            "norm_status": Markup(gettext("Status of the proposal")),
            "evidence": Markup(gettext("Evidence level"))}
