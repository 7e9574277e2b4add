"""The statistics page (charts, each with a table of the same numbers) and its JSON twin.

Published entries only (ideapankki.statistics counts nothing else). This module only turns the
counts into translated chart and table models; the counting is in the domain, drawing in charts.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from flask_babel import get_locale, gettext as _, lazy_gettext as _l

from ... import adoption_stats, charts, statistics
from ...models import EntryType
from ..database import db_session
from .. import labels
from . import adoption_sections
from .chart_sections import Section, Table, horizontal as _horizontal
from ..structured_labels import EVIDENCE_LABELS

bp = Blueprint("stats", __name__)

TYPE_STYLES = {  # the site's type colours (site.css), each with its own pattern
    EntryType.practice.value: ("#1d5e36", "solid"),
    EntryType.idea.value: ("#7a4a00", "stripes"),
    EntryType.norm.value: ("#8a1c3b", "dots"),
}
# Category names for the chart (labels.PROPOSER_ROLE_LABELS are phrased to follow "Proposed by").
PROPOSER_LABELS = {
    "official": _l("Municipal official"),
    "elected": _l("Elected member"),
    "other": _l("Other"),
}


def _types_section(stats: statistics.Statistics, locale: str) -> Section:
    table = stats.types_by_year
    heading = _("Entries by year and type")
    years = [str(row.year) for row in table.rows]
    series = [charts.Series(str(labels.TYPE_PLURALS[key]), [row.counts[key] for row in table.rows], *TYPE_STYLES[key])
              for key in table.keys]
    desc = _("Bar chart: published entries per year, grouped by type: a practice in the year it started, "
             "other entries in the year they were published. The same numbers are in the table below.")
    chart = charts.grouped_bars("chart-types", heading, desc, years, series, locale)
    totals = table.totals()
    return Section("types", heading, chart, Table(
        heading, _("Year"), [str(labels.TYPE_PLURALS[key]) for key in table.keys] + [_("Total")],
        [(str(row.year), [row.counts[key] for key in table.keys] + [row.total]) for row in table.rows],
        (_("Total"), [totals[key] for key in table.keys] + [sum(totals.values())])))


def _themes_section(stats: statistics.Statistics, locale: str) -> Section:
    table = stats.themes_by_year
    heading = _("Entries by theme")
    totals = table.totals()
    order = sorted(table.keys, key=lambda key: -totals[key])  # stable: ties keep the theme list's order
    desc = _("Bar chart: published entries per theme; an entry with several themes counts under each. "
             "The table below also shows each year.")
    chart = charts.horizontal_bars("chart-themes", heading, desc,
                                   [charts.Bar(str(labels.THEME_LABELS[key]), totals[key]) for key in order], locale)
    return Section("themes", heading, chart, Table(
        heading, _("Theme"), [str(row.year) for row in table.rows] + [_("Total")],
        [(str(labels.THEME_LABELS[key]), [row.counts[key] for row in table.rows] + [totals[key]]) for key in order]))


def sections(stats: statistics.Statistics, locale: str) -> list[Section]:
    """Every chart of the page with its table, translated for the reader."""
    entries, proposals = _("Entries"), _("Norm proposals")
    not_stated = _("Not stated")
    return [
        _types_section(stats, locale),
        _themes_section(stats, locale),
        _horizontal("regions", _("Entries by region"),
                    _("Bar chart: published entries per region; an entry counts once in each region "
                      "of its municipalities. The same numbers are in the table below."),
                    _("Region"), entries,
                    [(labels.region_name(r.name_fi, r.name_sv), r.count) for r in stats.regions], locale),
        _horizontal("laws", _("Norm proposals by law"),
                    _("Bar chart: published norm proposals per law they concern. "
                      "The same numbers are in the table below."),
                    _("Law"), proposals,
                    [(f"{law.number} {law.title}" if law.number else law.title, law.count)
                     for law in stats.norm_laws], locale),
        _horizontal("actions", _("Norm proposals by proposed action"),
                    _("Bar chart: published norm proposals per what they propose to do with the rule. "
                      "The same numbers are in the table below."),
                    _("Proposed action"), proposals,
                    [(str(labels.NORM_ACTION_LABELS.get(c.key, not_stated)), c.count)
                     for c in stats.norm_actions], locale),
        _horizontal("proposers", _("Norm proposals by proposer"),
                    _("Bar chart: published norm proposals per role of the person who proposed them. "
                      "The same numbers are in the table below."),
                    _("Proposed by"), proposals,
                    [(str(PROPOSER_LABELS.get(c.key, not_stated)), c.count)
                     for c in stats.norm_proposer_roles], locale),
        _horizontal("statuses", _("Norm proposals by status after publication"),
                    _("Bar chart: published norm proposals per the latest step recorded after publication "
                      "(sent to the ministry, in a government bill, law changed…). "
                      "The same numbers are in the table below."),
                    _("Status of the proposal"), proposals,
                    [(str(labels.NORM_STATUS_LABELS.get(c.key, _("No step recorded yet"))), c.count)
                     for c in stats.norm_statuses], locale),
        _horizontal("evidence", _("Practices by evidence level"),
                    _("Bar chart: published practices per evidence level a moderator confirmed (Nesta standards "
                      "1–5), and those without one. The same numbers are in the table below."),
                    _("Evidence level"), _("Practices"),
                    [(str(EVIDENCE_LABELS[int(c.key)]) if c.key != statistics.NOT_STATED else _("Not confirmed"),
                      c.count) for c in stats.evidence_levels], locale),
    ] + ([_programmes_section(stats, locale)] if stats.programmes else [])


def _programmes_section(stats: statistics.Statistics, locale: str) -> Section:
    heading = _("Trial programmes and their participants")
    desc = _("Bar chart: municipalities taking part in each trial programme as the sources state them (or, "
             "where no total is stated, as the bank names them). The table below also gives the named "
             "municipalities and the programme's practices in the bank.")
    rows = [(p.title, p.stated_total if p.stated_total is not None else p.named) for p in stats.programmes]
    chart = charts.horizontal_bars("chart-programmes", heading, desc, [charts.Bar(t, n) for t, n in rows], locale)
    return Section("programmes", heading, chart, Table(
        heading, _("Trial programme"), [_("Municipalities"), _("Named in the bank"), _("Practices")],
        [(p.title, [p.stated_total if p.stated_total is not None else p.named, p.named, p.practices])
         for p in stats.programmes]))


@bp.get("/statistics")
def page():
    """Charts of the published entries by year, type, theme, region, law and proposal."""
    locale = str(get_locale())
    stats = statistics.collect(db_session())
    return render_template("stats/statistics.html", stats=stats, number=lambda value: charts.number(value, locale),
                           sections=sections(stats, locale) + adoption_sections.sections(db_session(), locale))


@bp.get("/api/v1/statistics")
def api():
    """The statistics page's numbers as JSON (published entries only; field names are stable)."""
    response = jsonify({**statistics.to_json(statistics.collect(db_session())),
                        "adoptions": adoption_stats.to_json(adoption_stats.collect(db_session()))})
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
