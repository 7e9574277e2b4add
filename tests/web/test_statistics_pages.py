"""The statistics page and its JSON: published entries only, the same numbers in chart, table and API."""

import re
import xml.etree.ElementTree as ET
from datetime import date
from html.parser import HTMLParser

import pytest

from ideapankki import statistics
from ideapankki.models import EntryState

SVG = "{http://www.w3.org/2000/svg}"
UNPUBLISHED = [s for s in EntryState if s != EntryState.published]
SECRET_LAW = {"title": "Salainen laki", "number": "999/2099"}


class Tables(HTMLParser):
    """Collects each table as {caption, head, rows}, cells as text, and the heading levels in order."""

    def __init__(self):
        super().__init__()
        self.tables, self.headings, self._cell, self._row = [], [], None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "head": [], "rows": [], "scopes": []})
        elif tag in ("th", "td", "caption"):
            self._cell = ""
            if tag == "th":
                self.tables[-1]["scopes"].append(dict(attrs).get("scope"))
        elif tag == "tr":
            self._row = []
        elif re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data

    def handle_endtag(self, tag):
        if tag == "caption":
            self.tables[-1]["caption"], self._cell = self._cell.strip(), None
        elif tag in ("th", "td"):
            self._row.append(self._cell.strip())
            self._cell = None
        elif tag == "tr":
            target = self.tables[-1]["rows"] if self.tables[-1]["head"] else self.tables[-1]["head"]
            target.append(self._row) if target is self.tables[-1]["rows"] else target.extend(self._row)


def read(html: str) -> Tables:
    parser = Tables()
    parser.feed(html)
    return parser


def svgs(html: str) -> list[ET.Element]:
    return [ET.fromstring(s) for s in re.findall(r"<svg\b.*?</svg>", html, flags=re.S)]


@pytest.fixture(scope="module")
def shared(module_app, module_session, module_entry_factory):
    """Published entries of each type and an unpublished one in every other state; their numbers."""
    module_entry_factory("p1", type="practice", published=date(2021, 3, 1), themes=["tyollisyys"],
                         municipalities=["Kajaani", "Sotkamo"])
    module_entry_factory("i1", type="idea", published=date(2022, 6, 1), themes=["koulutus", "tyollisyys"],
                         municipalities=["Porvoo"])
    module_entry_factory("n1", type="norm", published=date(2022, 7, 1), themes=["koulutus"],
                         laws=[{"title": "Perusopetuslaki", "number": "628/1998"}],
                         proposal={"action": "loosen", "proposer_role": "elected"})
    for state in UNPUBLISHED:
        module_entry_factory(f"x-{state.value}", state=state, type="norm", title="Salainen luonnos",
                             published=date(2020, 1, 1) if state == EntryState.archived else None,
                             themes=["asuminen"], municipalities=["Rovaniemi"], laws=[SECRET_LAW],
                             proposal={"action": "remove", "proposer_role": "other"})
    return statistics.collect(module_session)


@pytest.mark.parametrize("language, heading, labels", [
    ("fi", "Tilastot", ["Työllisyys", "Koulutus ja varhaiskasvatus", "Kokeilut ja toimintamallit", "Kainuu",
                        "Säännöstä kevennetään", "Luottamushenkilö", "Vuosi", "Yhteensä"]),
    ("sv", "Statistik", ["Sysselsättning", "Försök och verksamhetsmodeller", "Normförslag", "Kajanaland",
                         "Bestämmelsen lättas upp", "Förtroendevald", "År", "Totalt"]),
    ("en", "Statistics", ["Employment", "Trials and practices", "Norm proposals", "Kainuu", "Loosen the rule",
                          "Elected member", "Year", "Total"]),
])
def test_page_renders_in_each_language_with_translated_labels(reader, language, heading, labels):
    page = reader.get(f"/statistics?lang={language}")
    assert page.status_code == 200
    html = page.text
    assert f'<html lang="{language}">' in html and f"<h1>{heading}</h1>" in html
    for label in labels:
        assert label in html, label
    assert 'href="/statistics" aria-current="page"' in html  # the site navigation leads here


def test_every_chart_is_valid_svg_with_title_and_desc(reader):
    html = reader.get("/statistics").text
    charts = svgs(html)
    assert len(charts) == 8
    for svg in charts:
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert svg.get("role") == "img" and title.text and desc.text
        assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "ids are unique on the page"


def test_tables_are_accessible_and_headings_in_order(reader):
    html = reader.get("/statistics").text
    parsed = read(html)
    assert len(parsed.tables) == 8
    for table in parsed.tables:
        assert table["caption"] and table["scopes"] and set(table["scopes"]) <= {"col", "row"}
    levels = parsed.headings
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:]))
    assert "<script" not in html and "style=" not in html and "<style" not in html


def test_each_table_has_the_same_numbers_as_its_chart(reader):
    html = reader.get("/statistics?lang=en").text
    tables = read(html).tables
    for svg, table in zip(svgs(html)[1:], tables[1:]):  # the horizontal charts: label and number per bar
        bars = [[t.text for t in g.iter(f"{SVG}text")] for g in svg.findall(f"{SVG}g")]
        assert bars == [[row[0], row[-1]] for row in table["rows"]], table["caption"]
    types = tables[0]
    assert types["head"] == ["Year", "Trials and practices", "Ideas", "Norm proposals", "Total"]
    assert types["rows"] == [["2021", "1", "0", "0", "1"], ["2022", "0", "1", "1", "2"], ["Total", "1", "1", "1", "3"]]
    bars = [g.find(f"{SVG}title").text for g in svgs(html)[0].findall(f"{SVG}g") if g.find(f"{SVG}title") is not None]
    assert "2022, Ideas: 1" in bars and "2021, Norm proposals: 0" in bars


def test_page_and_json_count_published_entries_only(reader):
    html = reader.get("/statistics").text
    assert "Salainen" not in html and "999/2099" not in html
    data = reader.get("/api/v1/statistics").get_json()
    assert data["published"] == 3
    assert [law["number"] for law in data["norm_laws"]] == ["628/1998"]
    assert data["norm_actions"]["remove"] == 0 and data["norm_proposer_roles"]["other"] == 0
    assert data["themes_by_year"][0]["counts"]["asuminen"] == 0 and [r["year"] for r in data["types_by_year"]] == [
        2021, 2022]
    lapland = next(r for r in data["regions"] if r["name_fi"] == "Lappi")
    assert lapland["count"] == 0


def test_json_equals_the_domain_numbers_and_is_open_to_every_origin(reader, shared):
    response = reader.get("/api/v1/statistics")
    assert response.status_code == 200 and response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.get_json() == {**statistics.to_json(shared), "adoptions": response.get_json()["adoptions"]}
    assert response.get_json()["types_by_year"][1] == {
        "year": 2022, "counts": {"practice": 0, "idea": 1, "norm": 1}, "total": 2}


def test_titles_from_entries_are_escaped_in_charts_and_tables(client, entry_factory):
    entry_factory("paha", type="norm", laws=[{"title": '<script>alert("x")</script> & laki'}])
    html = client.get("/statistics").text
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert len(svgs(html)) == 8


def test_an_empty_bank_says_so(client):
    html = client.get("/statistics?lang=en").text
    assert "Nothing has been published yet." in html and "<svg" not in html
    assert client.get("/api/v1/statistics").get_json()["published"] == 0


def test_programmes_chart_appears_with_programmes(client, app_session, entry_factory):
    from factories import make_programme

    make_programme(app_session, "tyo", title="Työllisyyden kuntakokeilut", municipalities=["Kajaani"],
                   participants_total=118)
    entry_factory("kainuu", programme="tyo", municipalities=["Kajaani"])
    html = client.get("/statistics").get_data(as_text=True)
    assert "Kokeiluohjelmat ja niiden osallistujat" in html and any(s.get("id") == "chart-programmes" for s in svgs(html))
    assert client.get("/api/v1/statistics").get_json()["programmes"][0]["stated_total"] == 118
