"""`ideapankki backup` while the site writes, then `ideapankki restore` into a new instance."""

from __future__ import annotations

import json
import threading

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from click.testing import CliRunner
from sqlmodel import Session

from clients import PASSWORD
from factories import make_entry
from ideapankki import accounts, create_app, migrate, workflow
from ideapankki.cli import main
from ideapankki.db import create_db_engine
from ideapankki.models import EntryState, Role
from ideapankki import close_app

TABLES = ("entry", "revision", "transition")


def rows(engine) -> dict[str, set]:
    with engine.connect() as connection:
        return {t: set(connection.execute(sa.text(f"SELECT * FROM {t}")).all()) for t in TABLES}


@pytest.fixture
def old(db_kind, databases, tmp_path, monkeypatch):
    """An instance with published, edited and moved entries, and its generated secret key. Its
    database is a copy of the migrated template (a migration from nothing cost ~2 s a test)."""
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "secret_key").write_text("vanha-avain")
    engine = create_db_engine(databases.for_instance(tmp_path / "old", monkeypatch))
    with Session(engine, expire_on_commit=False) as session:
        moderator = accounts.add_user(session, email="mod@kuntaliitto.fi", role=Role.moderator, password=PASSWORD)
        make_entry(session, "kirjastoauto", title="Kirjastoauton kokeilu")
        make_entry(session, "luonnos", state=EntryState.draft)
        waiting = make_entry(session, "jonossa", state=EntryState.submitted)
        workflow.act(session, waiting, workflow.Action.take, moderator)
        session.commit()
    yield engine
    engine.dispose()


def test_backup_while_writing_then_restore_into_a_new_instance(old, db_kind, databases, tmp_path, monkeypatch):
    before = rows(old)
    stop = threading.Event()
    written: list[str] = []

    def keep_writing():
        with Session(old, expire_on_commit=False) as session:
            while not stop.is_set() and len(written) < 200:
                written.append(make_entry(session, f"uusi-{len(written)}").slug)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(written) < 3:  # the backup starts while entries are being written
            stop.wait(0.01)
        result = CliRunner().invoke(main, ["backup", str(tmp_path / "backup")])
    finally:
        stop.set()
        writer.join(timeout=60)
    assert result.exit_code == 0, result.output

    manifest = json.loads((tmp_path / "backup" / "MANIFEST.json").read_text())
    assert manifest["counts"]["entries"] >= len(before["entry"]) + 3  # taken while the writer ran
    assert manifest["instance_files"] == ["secret_key"] and set(manifest["left_out"]) == {"search/", "exports/"}
    assert manifest["migration_head"] == ScriptDirectory.from_config(migrate.alembic_config(old)).get_current_head()
    assert manifest["database"] == db_kind
    assert sorted((tmp_path / "backup").iterdir()) == [tmp_path / "backup" / n for n in sorted(
        ("MANIFEST.json", manifest["database_file"], "secret_key"))]

    new_url = databases.for_instance(tmp_path / "new", monkeypatch, migrated=False)
    result = CliRunner().invoke(main, ["restore", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    assert "search index rebuilt" in result.output

    new = create_db_engine(new_url)
    try:
        restored = rows(new)
    finally:
        new.dispose()
    for table in TABLES:
        assert before[table] <= restored[table], table  # every row that existed before the backup
    assert {k: len(restored[t]) for k, t in zip(("entries", "revisions", "audit_rows"), TABLES)} == manifest["counts"]

    app = create_app({"TESTING": True, "INSTANCE_DIR": tmp_path / "new"})
    try:
        assert app.config["SECRET_KEY"] == "vanha-avain"
        client = app.test_client()
        assert client.get("/entries/kirjastoauto").status_code == 200
        assert client.get("/entries/luonnos").status_code == 404  # a draft stays private
        found = client.get("/api/v1/search?q=kirjastoauton").get_json()
        assert [hit["slug"] for hit in found["results"]] == ["kirjastoauto"]
        assert client.get("/healthz").get_json()["status"] == "ok"
    finally:
        close_app(app)


def test_restore_refuses_a_used_instance_unless_forced(old, tmp_path, monkeypatch):
    runner = CliRunner()
    assert runner.invoke(main, ["backup", str(tmp_path / "backup")]).exit_code == 0
    result = runner.invoke(main, ["restore", str(tmp_path / "backup")])  # into the instance itself
    assert result.exit_code == 1 and "--force" in result.output
    result = runner.invoke(main, ["restore", "--force", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output


def test_backup_refuses_a_folder_that_is_not_empty_and_restore_one_that_is_no_backup(old, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "something").write_text("x")
    result = CliRunner().invoke(main, ["backup", str(tmp_path / "full")])
    assert result.exit_code == 1 and "not empty" in result.output
    result = CliRunner().invoke(main, ["restore", "--force", str(tmp_path / "full")])
    assert result.exit_code == 1 and "not an Ideapankki backup" in result.output
