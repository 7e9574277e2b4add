"""The statistics page's sections on how practices spread: by adopting municipalities, the most
adopted, and a schematic map of adoptions per region (counts in ideapankki.adoption_stats)."""

from __future__ import annotations

from dataclasses import replace

from flask import url_for
from flask_babel import gettext as _, ngettext
from sqlmodel import Session

from ... import adoption_stats, finland_map
from .. import labels
from .chart_sections import Section, Table, horizontal as _horizontal


def _map_section(stats: adoption_stats.AdoptionStatistics, locale: str) -> Section:
    heading = _("Adoptions by region")
    names = {r.code: labels.region_name(r.name_fi, r.name_sv) for r in stats.regions}
    lines = {r.code: [text for text in (
        _("In use: %(count)s", count=r.adopted) if r.adopted else "",
        _("Interested: %(count)s", count=r.interested) if r.interested else "") if text] for r in stats.regions}
    chart = finland_map.region_map(
        "chart-adoption-regions", heading,
        _("Schematic map of Finland's regions, each a box placed roughly where the region lies; a region is "
          "shaded by the marks 'in use' of organisations in its municipalities. The same numbers are in the "
          "table below."),
        {r.code: r.adopted for r in stats.regions}, names, lines, _("Marks 'in use'"), locale)
    return Section("adoption-regions", heading, chart, Table(
        heading, _("Region"), [_("In use"), _("Interested")],
        [(names[r.code], [r.adopted, r.interested]) for r in stats.regions]))


def sections(session: Session, locale: str) -> list[Section]:
    """The adoption sections, translated; none while no organisation has marked anything."""
    stats = adoption_stats.collect(session)
    if not stats.any:
        return []
    rows = [(ngettext("%(num)s municipality", "%(num)s municipalities", n), count)
            for n, count in stats.by_municipalities]
    by_count = _horizontal(
        "adoption-spread", _("Practices and ideas by number of adopting municipalities"),
        _("Bar chart: published practices and ideas by how many municipalities have marked them in use. "
          "The same numbers are in the table below."),
        _("Adopting municipalities"), _("Practices and ideas"), rows, locale)
    most = stats.most_adopted
    top = _horizontal(
        "adoption-top", _("The most adopted practices and ideas"),
        _("Bar chart: the practices and ideas in use in the most municipalities. "
          "The same numbers are in the table below."),
        _("Entry"), _("Adopting municipalities"), [(s.title, s.municipalities) for s in most], locale)
    top = replace(top, table=replace(top.table, links=tuple(url_for("public.entry", slug=s.slug) for s in most)))
    return [by_count, top, _map_section(stats, locale)]
