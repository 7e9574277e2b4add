"""The schematic map of regions: every region of the register once, shading classes, accessible SVG."""

from xml.etree import ElementTree

from ideapankki import finland_map
from ideapankki.reference import read_register

SVG = "{http://www.w3.org/2000/svg}"


def test_every_region_of_the_register_has_one_box_and_no_two_overlap():
    assert sorted(finland_map.REGION_CODES) == sorted({m.region_code for m in read_register()})
    cells = [(t.col + dc, t.row + dr) for t in finland_map.TILES for dc in range(t.cols) for dr in range(t.rows)]
    assert len(cells) == len(set(cells))


def test_classes_cover_every_count_and_zero_is_its_own():
    assert finland_map.classes(1) == [(1, 1), (2, 2), (3, 3), (4, 4)]
    ranges = finland_map.classes(10)
    assert [finland_map.shade(v, ranges) for v in (0, 1, 3, 4, 9, 10)] == [0, 1, 1, 2, 3, 4]


def test_the_map_is_an_image_with_title_desc_and_escaped_text():
    svg = finland_map.region_map("m", "Kartta <x>", "Kuvaus & muuta", {"FI1D9": 2}, {"FI1D9": "Pohjois-Pohjanmaa"},
                                 {"FI1D9": ["In use: 2 <b>"]}, "Legend", "fi")
    root = ElementTree.fromstring(str(svg))
    assert root.get("role") == "img" and root.get("aria-labelledby") == "m-title m-desc"
    assert root.find(f"{SVG}title").text == "Kartta <x>" and root.find(f"{SVG}desc").text == "Kuvaus & muuta"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "In use: 2 <b>" in texts and "Pohjois-" in texts and "Pohjanmaa" in texts
    assert len([g for g in root.iter(f"{SVG}g")]) == 19
