"""A section of the statistics page: a chart and a table of the same numbers (the page's one shape)."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ... import charts


@dataclass(frozen=True)
class Table:
    """A table of the numbers a chart shows: one header row, one row per bar or year."""

    caption: str
    corner: str
    columns: list[str]
    rows: list[tuple[str, list[int]]]
    foot: tuple[str, list[int]] | None = None
    links: tuple[str, ...] = ()  # a row's label links here (the rows' order), when given


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    chart: Markup
    table: Table


def horizontal(section_id: str, heading: str, desc: str, corner: str, column: str,
                rows: list[tuple[str, int]], locale: str) -> Section:
    chart = charts.horizontal_bars(f"chart-{section_id}", heading, desc,
                                   [charts.Bar(label, value) for label, value in rows], locale)
    return Section(section_id, heading, chart, Table(heading, corner, [column], [(lbl, [n]) for lbl, n in rows]))
