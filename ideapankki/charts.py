"""Server-rendered SVG bar charts: no JavaScript, no external fonts, accessible on their own.

Each chart is an <svg role="img"> labelled by its own <title> and <desc>, writes every number
next to its bar, and tells series apart by pattern and legend as well as by colour (WCAG 1.4.1);
every fill has at least 3:1 contrast against the white background (WCAG 1.4.11). Text is escaped,
numbers are formatted for the reader's locale. The page shows the same numbers as a table below.
Bars run horizontally; the grouped chart (years × types) is drawn NARROW so that on a phone it fills
the screen with its text still legible instead of scrolling.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.numbers import format_decimal
from markupsafe import Markup, escape

BACKGROUND = "#ffffff"
INK = "#1b1f24"
MUTED = "#4a525c"
BAR = "#0b3d6e"  # the site's brand blue: 11.6:1 on white
PATTERNS = ("solid", "stripes", "dots", "grid")
FONT = 'font-family="sans-serif"'
CHAR_WIDTH = 7.6  # a generous average advance of a 14px sans-serif character, for layout
WIDTH = 720


@dataclass(frozen=True)
class Bar:
    """One bar of a horizontal chart (a long label is shortened in the chart, whole in its tooltip)."""

    label: str
    value: int


@dataclass(frozen=True)
class Series:
    """One group member of a grouped chart: its name, one value per category, colour and pattern."""

    label: str
    values: list[int]
    colour: str
    pattern: str = "solid"


def number(value: int, locale: str) -> str:
    """VALUE formatted for LOCALE (1 234 in Finnish, 1,234 in English)."""
    return format_decimal(value, locale=locale)


def _fit(label: str, max_chars: int) -> str:
    return label if len(label) <= max_chars else label[: max_chars - 1].rstrip() + "…"


def _attrs(**values) -> str:
    return " ".join(f'{name.rstrip("_").replace("_", "-")}="{escape(value)}"' for name, value in values.items())


def _svg(chart_id: str, title: str, desc: str, height: float, body: list[str], width: int = WIDTH,
         css_class: str = "chart") -> Markup:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" role="img" '
            f'{_attrs(id=chart_id, aria_labelledby=f"{chart_id}-title {chart_id}-desc")} '
            f'viewBox="0 0 {width} {height:.0f}" width="{width}" height="{height:.0f}" {FONT}>')
    return Markup("\n".join([
        head,
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>',
        f'<rect width="{width}" height="{height:.0f}" fill="{BACKGROUND}"/>',
        *body,
        "</svg>",
    ]))


def _pattern_defs(chart_id: str, series: list[Series]) -> str:
    """Fill patterns, one per series; ids are prefixed with the chart's id (several charts share a page)."""
    defs = []
    for index, s in enumerate(series):
        pid = f"{chart_id}-fill-{index}"
        base = f'<rect width="8" height="8" fill="{escape(s.colour)}"/>'
        mark = {
            "stripes": '<rect width="3" height="8" fill="#ffffff"/>',
            "dots": '<circle cx="4" cy="4" r="1.7" fill="#ffffff"/>',
            "grid": '<path d="M0 0H8M0 0V8" stroke="#ffffff" stroke-width="2"/>',
        }.get(s.pattern, "")
        rotate = ' patternTransform="rotate(45)"' if s.pattern == "stripes" else ""
        defs.append(f'<pattern id="{escape(pid)}" width="8" height="8" patternUnits="userSpaceOnUse"{rotate}>'
                    f"{base}{mark}</pattern>")
    return "<defs>" + "".join(defs) + "</defs>"


def _fill(chart_id: str, index: int, s: Series) -> str:
    return escape(s.colour) if s.pattern == "solid" else f"url(#{escape(chart_id)}-fill-{index})"


def horizontal_bars(chart_id: str, title: str, desc: str, bars: list[Bar], locale: str,
                    colour: str = BAR) -> Markup:
    """One bar per row with its label on the left and its number at its end (regions, themes, laws)."""
    row, bar_height, top = 30, 20, 10
    longest = max((len(b.label) for b in bars), default=0)
    label_chars = min(longest, 40)
    label_width = label_chars * CHAR_WIDTH + 10
    x0 = label_width + 6
    numbers = [number(b.value, locale) for b in bars]
    span = WIDTH - x0 - max((len(n) for n in numbers), default=1) * CHAR_WIDTH - 16
    most = max((b.value for b in bars), default=0) or 1
    body = []
    for i, (bar, shown) in enumerate(zip(bars, numbers)):
        y = top + i * row
        length = max(span * bar.value / most, 2.0) if bar.value else 0.0
        label = _fit(bar.label, label_chars)
        full = f"<title>{escape(bar.label)}: {escape(shown)}</title>" if label != bar.label else ""
        body.append(
            f'<g>{full}<text x="{label_width:.0f}" y="{y + 15}" text-anchor="end" font-size="14" fill="{INK}">'
            f"{escape(label)}</text>"
            + (f'<rect x="{x0:.0f}" y="{y}" width="{length:.1f}" height="{bar_height}" fill="{escape(colour)}"/>'
               if bar.value else "")
            + f'<text x="{x0 + length + 6:.1f}" y="{y + 15}" font-size="14" font-weight="bold" fill="{INK}">'
            f"{escape(shown)}</text></g>")
    height = top * 2 + max(len(bars), 1) * row
    body.append(f'<line x1="{x0:.0f}" y1="{top - 4}" x2="{x0:.0f}" y2="{height - top + 4}" stroke="{MUTED}"/>')
    return _svg(chart_id, title, desc, height, body)


def _legend(chart_id: str, series: list[Series], chart_width: int = WIDTH) -> tuple[list[str], float]:
    """Swatches with names, wrapped into rows; returns the elements and the height they take."""
    items, x, y = [], 10.0, 10.0
    for index, s in enumerate(series):
        width = 24 + len(s.label) * CHAR_WIDTH + 20
        if x > 10 and x + width > chart_width:
            x, y = 10.0, y + 24
        items.append(f'<g><rect x="{x:.0f}" y="{y:.0f}" width="16" height="16" fill="{_fill(chart_id, index, s)}" '
                     f'stroke="{escape(s.colour)}" stroke-width="1.5"/>'
                     f'<text x="{x + 22:.0f}" y="{y + 13:.0f}" font-size="14" fill="{INK}">{escape(s.label)}</text></g>')
        x += width
    return items, y + 30


NARROW = 360  # a chart that fits a phone's width with its text at a legible size


def grouped_bars(chart_id: str, title: str, desc: str, categories: list[str], series: list[Series],
                            locale: str) -> Markup:
    """Grouped horizontal bars, narrow enough for a phone: one group of rows per category (e.g. year)
    with its name on the left, one patterned bar per series, each number at its bar's end."""
    legend, top = _legend(chart_id, series, NARROW)
    bar, gap, group_gap = 16, 3, 14
    label_width = max((len(c) for c in categories), default=4) * 9.0 + 10
    x0 = label_width + 6
    numbers = [[number(v, locale) for v in s.values] for s in series]
    span = NARROW - x0 - max((len(n) for row in numbers for n in row), default=1) * 8.5 - 12
    most = max((v for s in series for v in s.values), default=0) or 1
    group = len(series) * (bar + gap) - gap
    body = [_pattern_defs(chart_id, series), *legend]
    y = top + 4
    for c, category in enumerate(categories):
        body.append(f'<text x="{label_width:.0f}" y="{y + group / 2 + 6:.1f}" text-anchor="end" font-size="16" '
                    f'font-weight="bold" fill="{INK}">{escape(category)}</text>')
        for index, s in enumerate(series):
            value, shown = s.values[c], escape(numbers[index][c])
            length = max(span * value / most, 2.0) if value else 0.0
            row = y + index * (bar + gap)
            body.append(
                f'<g><title>{escape(category)}, {escape(s.label)}: {shown}</title>'
                + (f'<rect x="{x0:.0f}" y="{row:.1f}" width="{length:.1f}" height="{bar}" '
                   f'fill="{_fill(chart_id, index, s)}" stroke="{escape(s.colour)}" stroke-width="1.5"/>'
                   if value else "")
                + f'<text x="{x0 + length + 5:.1f}" y="{row + 13:.1f}" font-size="15" fill="{INK}">{shown}</text></g>')
        y += group + group_gap
    body.append(f'<line x1="{x0:.0f}" y1="{top:.0f}" x2="{x0:.0f}" y2="{y - group_gap + 4:.0f}" stroke="{MUTED}"/>')
    return _svg(chart_id, title, desc, y - group_gap + 10, body, NARROW, "chart chart-narrow")
