"""A schematic map of Finland's 19 regions as server-rendered SVG: one labelled box per region.

The repository has no boundary geometry (the municipality register names each municipality's
region and nothing more) and the site loads nothing from outside, so this is an honest
schematic, a tile map: each region (maakunta, NUTS 3 code of the register) is a box placed
roughly where it lies, Lapland at the top and Åland out to the south-west. A box is shaded by its
count in five classes, writes its name and its numbers, and carries a tooltip; the legend gives
the classes. As with ideapankki.charts, the colour is never the only carrier (the numbers are
written), text contrasts with its fill, and the page shows the same data as a table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup, escape

from .charts import FONT, INK, MUTED, number

WIDTH = 720
CELL_W, CELL_H, GAP, MARGIN = 112, 76, 4, 12


@dataclass(frozen=True)
class Tile:
    code: str  # the region's NUTS 3 code in the register
    col: int
    row: int
    cols: int = 1
    rows: int = 1


# Laid out like the map: north at the top, the west coast on the left, Åland apart in the south-west.
TILES = (
    Tile("FI1D7", 2, 0, cols=2),  # Lappi
    Tile("FI1D9", 3, 1, rows=2), Tile("FI1D8", 4, 1),  # Pohjois-Pohjanmaa, Kainuu
    Tile("FI1D5", 2, 2), Tile("FI1D2", 4, 2), Tile("FI1D3", 5, 2),  # Keski-Pohjanmaa, Pohjois-Savo, -Karjala
    Tile("FI195", 1, 3), Tile("FI194", 2, 3), Tile("FI193", 3, 3), Tile("FI1D1", 4, 3), Tile("FI1C5", 5, 3),
    Tile("FI196", 1, 4), Tile("FI197", 2, 4), Tile("FI1C3", 3, 4), Tile("FI1C4", 4, 4),
    Tile("FI200", 0, 5), Tile("FI1C1", 1, 5), Tile("FI1C2", 2, 5), Tile("FI1B1", 3, 5),
)
REGION_CODES = tuple(tile.code for tile in TILES)
# Fills from none to most, with the text colour that keeps at least 4.5:1 on each.
SHADES = (("#f2f5f8", INK), ("#c6dbef", INK), ("#7fb2dc", INK), ("#2a6fb0", "#ffffff"), ("#0b3d6e", "#ffffff"))


def classes(most: int) -> list[tuple[int, int]]:
    """The value ranges (low, high) of the four shaded classes for counts up to MOST (0 is its own)."""
    step = max(1, math.ceil(most / 4))
    return [(1 + i * step, (i + 1) * step) for i in range(4)]


def shade(value: int, ranges: list[tuple[int, int]]) -> int:
    """The class of VALUE: 0 for none, else 1-4 (four classes of RANGES cover every count up to the most)."""
    if value <= 0:
        return 0
    return next((i + 1 for i, (_low, high) in enumerate(ranges) if value <= high), len(ranges))


def _name_lines(name: str, width: int) -> list[str]:
    """NAME in at most two lines of about WIDTH characters, broken after a hyphen or at a space."""
    if len(name) <= width:
        return [name]
    for mark in ("-", " "):
        cut = name.rfind(mark, 0, width + 1)
        if cut > 0:
            head = name[:cut + 1] if mark == "-" else name[:cut]
            return [head, name[cut + 1:]]
    return [name[:width - 1] + "…"]


def _range_text(low: int, high: int, locale: str) -> str:
    return number(low, locale) if low == high else f"{number(low, locale)}–{number(high, locale)}"


def region_map(map_id: str, title: str, desc: str, values: dict[str, int], names: dict[str, str],
               lines: dict[str, list[str]], legend_title: str, locale: str) -> Markup:
    """The tile map: VALUES (region code → count) shade the boxes, NAMES label them, LINES are
    written under each name (the numbers, already worded); LEGEND_TITLE heads the legend."""
    most = max(values.values(), default=0)
    ranges = classes(most)
    body = []
    for tile in TILES:
        x = MARGIN + tile.col * (CELL_W + GAP)
        y = MARGIN + tile.row * (CELL_H + GAP)
        w = tile.cols * CELL_W + (tile.cols - 1) * GAP
        h = tile.rows * CELL_H + (tile.rows - 1) * GAP
        fill, ink = SHADES[shade(values.get(tile.code, 0), ranges)]
        name = names.get(tile.code, tile.code)
        written = lines.get(tile.code, [])
        tip = f"{name}: {', '.join(written)}" if written else name
        name_lines = _name_lines(name, w // 7 - 2)
        text = [f'<text x="{x + 8}" y="{y + 17 + i * 14}" font-size="12" fill="{ink}">{escape(part)}</text>'
                for i, part in enumerate(name_lines)]
        below = y + 20 + len(name_lines) * 14  # the numbers start right under the name
        text += [f'<text x="{x + 8}" y="{below + i * 15}" font-size="13" font-weight="bold" fill="{ink}">'
                 f"{escape(line)}</text>" for i, line in enumerate(written)]
        body.append(f'<g><title>{escape(tip)}</title><rect x="{x}" y="{y}" width="{w}" height="{h}" rx="4" '
                    f'fill="{fill}" stroke="{MUTED}" stroke-width="1"/>' + "".join(text) + "</g>")
    body.append(f'<text x="{MARGIN}" y="{MARGIN + 14}" font-size="13" font-weight="bold" fill="{INK}">'
                f"{escape(legend_title)}</text>")
    legend = [(0, "0")] + [(i + 1, _range_text(low, high, locale)) for i, (low, high) in enumerate(ranges)
                           if low <= max(most, 1)]  # only the classes a count can fall in
    for n, (index, label) in enumerate(legend):
        y = MARGIN + 26 + n * 22
        body.append(f'<rect x="{MARGIN}" y="{y}" width="18" height="16" fill="{SHADES[index][0]}" stroke="{MUTED}"/>'
                    f'<text x="{MARGIN + 26}" y="{y + 13}" font-size="13" fill="{INK}">{escape(label)}</text>')
    height = MARGIN * 2 + 6 * CELL_H + 5 * GAP
    return Markup("\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart region-map" role="img" id="{escape(map_id)}" '
        f'aria-labelledby="{escape(map_id)}-title {escape(map_id)}-desc" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" {FONT}>',
        f'<title id="{escape(map_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(map_id)}-desc">{escape(desc)}</desc>',
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        *body,
        "</svg>",
    ]))
