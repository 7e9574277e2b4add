"""GET /healthz: database reachable, search index current with the change log, never cached."""

from __future__ import annotations

from databases import url_text
from ideapankki.db import create_db_engine
from ideapankki.web.database import ENGINE_KEY
from ideapankki.web.index import SEARCH_KEY


def test_a_current_index_is_ok(app, client, entry_factory):
    entry_factory("kokeilu")
    app.extensions[SEARCH_KEY].rebuild()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": {"ok": True},
                                   "search": {"ok": True, "index": "ok", "pending_changes": 0,
                                                                "lag_seconds": 0.0}}
    assert response.headers["Cache-Control"] == "no-store"


def test_an_index_behind_the_change_log_is_degraded_with_its_lag(app, client, entry_factory):
    app.extensions[SEARCH_KEY].rebuild()
    entry_factory("kokeilu")  # committed outside a request: the index has not applied it
    body = client.get("/healthz").get_json()
    assert body["status"] == "degraded"
    assert body["search"]["ok"] is False
    assert body["search"]["pending_changes"] >= 1
    assert body["search"]["lag_seconds"] >= 0
    app.extensions[SEARCH_KEY].catch_up()
    assert client.get("/healthz").get_json()["status"] == "ok"


def test_a_missing_index_is_degraded_not_an_error(client, entry_factory):
    entry_factory("kokeilu")
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "degraded" and body["database"] == {"ok": True}
    assert body["search"]["ok"] is False and body["search"]["pending_changes"] >= 1


def test_an_unreachable_database_is_503(app, client, tmp_path, db_kind, caplog):
    working = app.extensions[ENGINE_KEY]
    if db_kind == "sqlite":
        broken = create_db_engine(f"sqlite:///{tmp_path / 'no' / 'such' / 'folder.db'}")
    else:
        broken = create_db_engine(url_text(working.url.set(database="ipk_no_such_database")))
    app.extensions[ENGINE_KEY] = broken
    try:
        response = client.get("/healthz")
    finally:
        app.extensions[ENGINE_KEY] = working
        broken.dispose()
    assert response.status_code == 503
    assert response.get_json()["status"] == "error"
    assert response.get_json()["database"] == {"ok": False}
    assert response.headers["Cache-Control"] == "no-store"


def test_it_says_nothing_about_people_or_content(app, client, entry_factory):
    entry_factory("salainen-kokeilu", title="Salainen otsikko")
    text = client.get("/healthz").get_data(as_text=True)
    assert "@" not in text and "Salainen" not in text and "salainen" not in text
