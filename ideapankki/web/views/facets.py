"""The facet sidebar's boxes and links, and how a facet names its values (the sidebar, the chips).

Built in Python rather than by a template macro per value (some seventy links a listing);
listing_html.facet_sidebar writes them out, and listing_block's active filters name their values
with facet_label, as partials/filters.html's facet_value_label does.
"""

from __future__ import annotations

from typing import NamedTuple

from jinja2 import pass_context

from ..structured_labels import EVIDENCE_LABELS
from ..templating import FACET_VALUES_SHOWN, urls_with

FACET_ORDER = ("type", "theme", "region", "municipality", "year", "trial_status", "norm_status", "evidence")
LABELLED = {"type": "TYPE_LABELS", "theme": "THEME_LABELS", "trial_status": "TRIAL_STATUS_LABELS",
            "norm_status": "NORM_STATUS_LABELS"}


class FacetLink(NamedTuple):
    label: str
    count: int
    href: str
    active: bool


class FacetBox(NamedTuple):
    name: str
    open: bool
    links: list[FacetLink]


@pass_context
def facet_boxes(context, facets, filters, fixed=()) -> list[FacetBox]:
    """The facet sidebar's boxes and links (partials/filters.html): built here, not by a template
    macro per value, which was most of a listing's sidebar time."""
    active = {name: str(value) for name, value in filters.active().items()}
    boxes = []
    for name in FACET_ORDER:
        counts = facets[name].counts[:FACET_VALUES_SHOWN]
        if name in fixed or not counts:
            continue
        label = facet_label(context, name)
        selected = active.get(name)
        chosen = [str(value) == selected for value, _count in counts]
        hrefs = urls_with(name, [None if on else value for (value, _count), on in zip(counts, chosen)])
        boxes.append(FacetBox(name, name in ("type", "theme") or name in active, [
            FacetLink(label(value), count, href, on) for (value, count), href, on in zip(counts, hrefs, chosen)]))
    return boxes


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


GLOBALS = {"facet_boxes": facet_boxes, "evidence_label": evidence_label}
