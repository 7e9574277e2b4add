"""The facet sidebar, and how a facet names its values (the sidebar, the active filters' chips).

Built in Python rather than by a template macro per value (some seventy links a listing): the
listings (listing_block) and the search page (results_block) write it with sidebar(), and the
active filters name their values with facet_label, as partials/filters.html's facet_value_label
did.
"""

from __future__ import annotations

from functools import lru_cache

from flask import current_app
from jinja2 import pass_context
from markupsafe import Markup, escape

from ..structured_labels import EVIDENCE_LABELS
from ..i18n import quoted
from ..templating import FACET_VALUES_SHOWN, link_around, urls_with
from . import listing_html, listing_words

FACET_ORDER = ("type", "theme", "region", "municipality", "year", "trial_status", "norm_status", "evidence")
LABELLED = {"type": "TYPE_LABELS", "theme": "THEME_LABELS", "trial_status": "TRIAL_STATUS_LABELS",
            "norm_status": "NORM_STATUS_LABELS"}


def facet_label(context, name: str):
    """A function naming NAME's values as partials/filters.html's facet_value_label does."""
    if name in LABELLED:
        table = getattr(context["labels"], LABELLED[name])
        return lambda value: table.get(value, "")
    if name == "evidence":
        return evidence_label
    if name == "region":
        regions, region_name = context["regions"], context["region_name"]
        return lambda value: region_name(*regions[value]) if value in regions else value
    if name == "municipality":
        places, municipality_name = context["municipalities"], context["municipality_name"]
        return lambda value: municipality_name(places[value]) if value in places else value
    return lambda value: value


def evidence_label(value) -> str:
    """An evidence level's name (the active-filter chip; the facet links use facet_label)."""
    return str(EVIDENCE_LABELS.get(int(value), ""))


@pass_context
def sidebar(context, facets, filters, fixed=()) -> Markup:
    """The facet sidebar of FACETS under FILTERS (partials/filters.html's facet_sidebar macro, the
    same text), FIXED facets left out (a listing's path sets them). Every listing and the search
    page write it here in one pass: no link objects, and each value's name escaped once per
    language and register (_labels), not once per link."""
    words = listing_words.words(context)
    titles, selected_note = words["titles"], words["selected"]
    named = _labels(context, words["locale"])
    active = {name: str(value) for name, value in filters.active().items()}
    parts = ['<aside class="facets" aria-labelledby="facets-title">\n  <h2 id="facets-title">', words["narrow"],
             "</h2>\n"]
    for name in FACET_ORDER:
        counts = facets[name].counts[:FACET_VALUES_SHOWN]
        if name in fixed or not counts:
            continue
        selected = active.get(name)
        chosen = [False] * len(counts) if selected is None else [str(value) == selected for value, _n in counts]
        hrefs = _hrefs(name, counts, chosen)
        html = named.get(name)
        if html is None:
            html = named[name] = {}
        label = None
        parts += ['  <details class="facet" open>\n' if name in ("type", "theme") or selected is not None
                  else '  <details class="facet">\n', "    <summary><h3>", titles.get(name, ""),
                  "</h3></summary>\n    <ul>\n"]
        for (value, count), href, on in zip(counts, hrefs, chosen):
            text = html.get(value)
            if text is None:
                label = label or facet_label(context, name)
                text = html[value] = str(escape(label(value)))
            if on:
                parts.append(f'      <li><a href="{href}" aria-current="true" class="facet-active">{text} '
                             f'<span class="count">({count})</span><span class="visually-hidden"> {selected_note}'
                             '</span></a></li>\n')
            else:
                parts.append(f'      <li><a href="{href}">{text} <span class="count">({count})</span>'
                             '</a></li>\n')
        parts.append("    </ul>\n  </details>\n")
    parts.append("</aside>\n")
    return Markup("".join(parts))


def _hrefs(name: str, counts: list, chosen: list) -> list[str]:
    """The escaped links of a facet's values (a chosen one's link removes it): the page's query
    around the value escaped once per facet, each value quoted and escaped once per process, as
    escaping the whole link gives (escaping replaces characters one by one)."""
    around = link_around(name)
    if around is None:
        escaped = listing_html._escaped
        return [escaped(href) for href in urls_with(name, [None if on else value
                                                           for (value, _n), on in zip(counts, chosen)])]
    head, tail, removed = (listing_html._escaped(part) for part in around)
    return [removed if on else head + _value_href(str(value)) + tail for (value, _n), on in zip(counts, chosen)]


@lru_cache(maxsize=4096)
def _value_href(value: str) -> str:
    return listing_html._escaped(quoted(value))


LABELS_KEY = "ideapankki.facet_labels"


def _labels(context, locale: str) -> dict:
    """facet -> value -> its escaped name in LOCALE, kept per app while the page's register and
    regions (the listing table's) are the same objects: a new table starts it again."""
    kept = current_app.extensions.get(LABELS_KEY)
    places = (context.get("municipalities"), context.get("regions"))
    if kept is None or kept[0][0] is not places[0] or kept[0][1] is not places[1]:
        kept = current_app.extensions[LABELS_KEY] = (places, {})
    found = kept[1].get(locale)
    if found is None:
        found = kept[1][locale] = {}
    return found


GLOBALS = {"evidence_label": evidence_label}
