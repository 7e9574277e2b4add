"""Open-data exports: complete, published only, re-importable without loss, rebuilt only on change."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session

from factories import make_programme
from ideapankki import exchange, exports
from ideapankki.db import create_db_engine
from ideapankki.models import EntryState
from ideapankki.workflow import place_by_operator

UNPUBLISHED = [EntryState.draft, EntryState.submitted, EntryState.in_review, EntryState.returned,
               EntryState.rejected, EntryState.archived]


def fetch(client, url: str) -> bytes:
    """GET a download and close it (files are streamed from disk)."""
    response = client.get(url)
    try:
        assert response.status_code == 200, url
        return response.get_data()
    finally:
        response.close()


@pytest.fixture
def bank(entry_factory, app_session):
    make_programme(app_session, "tyollisyyskokeilut", title="Työllisyyden kuntakokeilut", municipalities=["Kajaani"])
    entry_factory("omavalmentaja", programme="tyollisyyskokeilut", title="Omavalmentaja", municipalities=["Kajaani"], themes=["tyollisyys"],
                  tags=["valmennus", "työnhaku"], published=date(2022, 2, 24), trial_status="ended",
                  period_start=date(2021, 3, 1), period_end=date(2023, 6, 30),
                  laws=[{"title": "Laki työllisyyden edistämisen kuntakokeilusta", "number": "1269/2020",
                         "section": "2 §"}],
                  contacts=[{"name": "Maija Meikäläinen", "role": "projektipäällikkö", "email": "maija@example.fi"}],
                  links=[{"title": "Kokeilun sivu", "url": "https://example.fi/kokeilu"}],
                  body='## Tausta\n\nTeksti, jossa on "lainausmerkit", pilkku ja\nrivinvaihto.')
    entry_factory("kelpoisuus", type="norm", title="Kelpoisuus, joustavammin", municipalities=["Helsinki", "Vaasa"],
                  themes=["koulutus"], published=date(2023, 1, 10),
                  proposal={"action": "loosen", "justification": "Pula opettajista.", "proposer_role": "official"},
                  laws=[{"title": "Varhaiskasvatuslaki", "number": "540/2018"}])
    entry_factory("ruotsiksi", type="idea", language="sv", title="Idé på svenska", municipalities=["Vaasa"],
                  themes=["nuoret"], origin="Kuntamarkkinat 2022", published=date(2022, 5, 25))
    for state in UNPUBLISHED:
        entry_factory(f"salainen-{state.value}", state=state, title=f"Salainen {state.value}")


def test_downloads_hold_every_published_entry_and_nothing_else(client, bank):
    page = client.get("/data")
    assert page.status_code == 200 and "CC BY 4.0" in page.get_data(as_text=True)
    data = json.loads(fetch(client, "/data/ideapankki-entries.json"))
    assert data["count"] == 3 and data["licence"].startswith("CC BY 4.0")
    assert sorted(e["slug"] for e in data["entries"]) == ["kelpoisuus", "omavalmentaja", "ruotsiksi"]
    api = client.get("/api/v1/entries/omavalmentaja").get_json()
    assert next(e for e in data["entries"] if e["slug"] == "omavalmentaja") == api
    rows = list(csv.DictReader(io.StringIO(fetch(client, "/data/ideapankki-entries.csv").decode("utf-8-sig"))))
    assert sorted(r["slug"] for r in rows) == ["kelpoisuus", "omavalmentaja", "ruotsiksi"]
    row = next(r for r in rows if r["slug"] == "omavalmentaja")
    assert row["municipality_codes"] == "205" and row["tags"] == "valmennus;työnhaku"
    assert row["programme"] == "tyollisyyskokeilut"
    assert row["laws"] == "Laki työllisyyden edistämisen kuntakokeilusta, 1269/2020, 2 §"
    assert row["body_markdown"].endswith('"lainausmerkit", pilkku ja\nrivinvaihto.')
    norm = next(r for r in rows if r["slug"] == "kelpoisuus")
    assert norm["municipalities"] == "Helsinki;Vaasa" and norm["proposal_action"] == "loosen"
    every = b"".join(fetch(client, f"/data/{name}") for name in exports.FILES)
    assert b"salainen" not in every and b"Salainen" not in every


def test_content_zip_imports_back_without_loss(client, bank, tmp_path, databases):
    archive = zipfile.ZipFile(io.BytesIO(fetch(client, "/data/ideapankki-content.zip")))
    assert "README.md" in archive.namelist()
    unpacked = tmp_path / "unpacked"
    for name in archive.namelist():
        if name.endswith(".md") and "/" in name:
            (unpacked / name).parent.mkdir(parents=True, exist_ok=True)
            (unpacked / name).write_bytes(archive.read(name))
    engine = create_db_engine(databases.fresh())
    with Session(engine) as session:
        report = exchange.import_path(session, unpacked, publish=True)
        session.commit()
        assert sorted(report.published) == ["kelpoisuus", "omavalmentaja", "ruotsiksi"]
        exchange.export_dir(session, tmp_path / "again")
    engine.dispose()
    for path in unpacked.rglob("*.md"):
        assert (tmp_path / "again" / path.relative_to(unpacked)).read_bytes() == path.read_bytes()


def test_export_is_rebuilt_when_content_changes_and_only_then(app, client, bank, app_session):
    root = Path(app.config["INSTANCE_DIR"]) / "exports"
    client.get("/data")
    first = (root / "current").resolve()
    fetch(client, "/data/ideapankki-entries.csv")
    assert (root / "current").resolve() == first  # nothing changed: the same files
    entry = app_session.exec(exports.select(exports.Entry).where(exports.Entry.slug == "ruotsiksi")).one()
    place_by_operator(app_session, entry, EntryState.archived, "test")
    app_session.commit()
    text = fetch(client, "/data/ideapankki-entries.csv").decode("utf-8-sig")
    assert (root / "current").resolve() != first and "ruotsiksi" not in text
    assert not first.exists()  # the old build is removed once the new one is in place


def test_unknown_download_is_404(client):
    assert client.get("/data/../secret_key").status_code == 404
    assert client.get("/data/other.txt").status_code == 404
