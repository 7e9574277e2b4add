"""SVG charts are well-formed, labelled, escaped, legible without colour, and readable in contrast."""

import re
import xml.etree.ElementTree as ET

import pytest

from ideapankki import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg) -> ET.Element:
    return ET.fromstring(str(svg))


def vertical(locale="en", **kw):
    series = [charts.Series("Practices", [1, 1234], "#1d5e36"),
              charts.Series("Ideas", [0, 5], "#7a4a00", "stripes"),
              charts.Series("Norms", [3, 0], "#8a1c3b", "dots")]
    return charts.grouped_bars(kw.get("chart_id", "c-v"), "By year", "Entries per year.", ["2021", "2022"],
                                series, locale)


def horizontal(locale="en", bars=None):
    bars = bars or [charts.Bar("Kainuu", 3), charts.Bar("Helsinki-Uusimaa", 1234), charts.Bar("Lappi", 0)]
    return charts.horizontal_bars("c-h", "By region", "Entries per region.", bars, locale)


def relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("make", [vertical, horizontal])
def test_chart_is_an_image_labelled_by_its_title_and_desc(make):
    root = parse(make())
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text and desc.text
    assert root.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]
    assert root.get("font-family") == "sans-serif"
    assert "<script" not in str(make()) and "@import" not in str(make())


@pytest.mark.parametrize("make", [vertical, horizontal])
def test_every_colour_has_three_to_one_contrast_with_the_background(make):
    svg = str(make())
    colours = set(re.findall(r'(?:fill|stroke)="(#[0-9a-f]{6})"', svg)) - {charts.BACKGROUND}
    assert colours
    for colour in colours:
        assert contrast(colour, charts.BACKGROUND) >= 3, colour
    for text in parse(svg).iter(f"{SVG}text"):
        assert contrast(text.get("fill"), charts.BACKGROUND) >= 4.5  # text: AA for normal size


def test_series_differ_by_pattern_and_are_named_in_a_legend():
    root = parse(vertical())
    patterns = root.findall(f".//{SVG}pattern")
    assert len({ET.tostring(p).replace(p.get("id").encode(), b"") for p in patterns}) == len(patterns) == 3
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"Practices", "Ideas", "Norms"} <= set(texts) and {"2021", "2022"} <= set(texts)
    # pattern ids carry the chart's id, so two charts on one page do not share them
    assert all(p.get("id").startswith("c-v-") for p in patterns)
    assert not set(re.findall(r'id="([^"]+)"', str(vertical(chart_id="c-w")))) & set(
        re.findall(r'id="([^"]+)"', str(vertical())))


@pytest.mark.parametrize("locale, shown", [("fi", "1\xa0234"), ("sv", "1\xa0234"), ("en", "1,234")])
def test_numbers_are_written_by_their_bars_in_the_readers_format(locale, shown):
    for make in (vertical, horizontal):
        texts = [t.text for t in parse(make(locale)).iter(f"{SVG}text")]
        assert shown in texts
    # years are labels, not numbers to format
    assert "2022" in [t.text for t in parse(vertical(locale)).iter(f"{SVG}text")]


def test_horizontal_chart_pairs_each_label_with_its_number_and_scales_bars():
    root = parse(horizontal())
    rows = [[t.text for t in g.iter(f"{SVG}text")] for g in root.findall(f"{SVG}g")]
    assert rows == [["Kainuu", "3"], ["Helsinki-Uusimaa", "1,234"], ["Lappi", "0"]]
    widths = [float(g.find(f"{SVG}rect").get("width")) if g.find(f"{SVG}rect") is not None else 0.0
              for g in root.findall(f"{SVG}g")]
    assert widths[1] > widths[0] > widths[2] == 0.0


def test_text_is_escaped_and_long_labels_are_shortened_with_the_whole_label_as_tooltip():
    hostile = '<script>alert("x")</script> & ' + "pitkä " * 20
    svg = str(horizontal(bars=[charts.Bar(hostile, 2)]))
    assert "<script>" not in svg
    root = parse(svg)
    group = root.find(f"{SVG}g")
    assert group.find(f"{SVG}title").text == f"{hostile}: 2"
    assert group.find(f"{SVG}text").text.endswith("…") and len(group.find(f"{SVG}text").text) <= 40


def test_empty_charts_are_still_valid_svg():
    assert parse(charts.horizontal_bars("e1", "T", "D", [], "fi")).get("role") == "img"
    assert parse(charts.grouped_bars("e2", "T", "D", [], [], "fi")).get("role") == "img"
