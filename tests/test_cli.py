"""The `ideapankki` command as an operator uses it."""

import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from factories import CONTENT_DIR
from ideapankki.cli import main
from ideapankki.db import create_db_engine


@pytest.fixture
def empty_runner(tmp_path, monkeypatch, database_env):
    """The CLI on a new instance: its own SQLite file, or an empty PostgreSQL database (database_env)."""
    monkeypatch.setenv("IDEAPANKKI_INSTANCE", str(tmp_path / "instance"))
    return CliRunner()


@pytest.fixture
def runner(tmp_path, monkeypatch, databases):
    """The CLI on a new instance whose database is a copy of the session's migrated template (what
    `init` makes: a migration from nothing cost ~2 s a test); `init` and `serve` on an empty
    database are test_init_creates_the_database and test_serve_migrates_seeds_and_serves_on_first_start."""
    databases.for_instance(tmp_path / "instance", monkeypatch)
    return CliRunner()


def test_init_creates_the_database(empty_runner, tmp_path, database_env):
    runner = empty_runner
    result = runner.invoke(main, ["init"])
    assert result.exit_code == 0, result.output
    if database_env is None:
        assert (tmp_path / "instance" / "ideapankki.db").exists()
    engine = create_db_engine(database_env or f"sqlite:///{tmp_path / 'instance' / 'ideapankki.db'}")
    try:
        assert {"entry", "revision", "transition", "alembic_version"} <= set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_import_then_export_round_trips_the_seed_content(runner, tmp_path):
    result = runner.invoke(main, ["import", str(CONTENT_DIR), "--publish"])
    assert result.exit_code == 0, result.output
    count = sum(1 for p in CONTENT_DIR.rglob("*.md") if p.parent.name != "programmes")  # entries only
    assert f"Imported {count} new, 0 updated, 0 unchanged; {count} published." in result.output
    again = runner.invoke(main, ["import", str(CONTENT_DIR), "--publish"])
    assert f"Imported 0 new, 0 updated, {count} unchanged; 0 published." in again.output
    result = runner.invoke(main, ["export", str(tmp_path / "out")])
    assert result.exit_code == 0 and f"Exported {count} entries" in result.output
    for path in CONTENT_DIR.rglob("*.md"):
        assert (tmp_path / "out" / path.relative_to(CONTENT_DIR)).read_bytes() == path.read_bytes()


def test_invalid_import_names_file_and_key_and_exits_non_zero(runner, tmp_path):
    bad = tmp_path / "tuonti" / "idea" / "paha.md"
    bad.parent.mkdir(parents=True)
    bad.write_text("---\ntitle: T\ntype: idea\nsummary: S\nmunicipalities: [Atlantis]\n---\n", encoding="utf-8")
    result = runner.invoke(main, ["import", str(tmp_path / "tuonti")])
    assert result.exit_code == 1
    assert f"error: {bad}: municipalities[0]: 'Atlantis' is not in the municipality register" in result.output
    assert "Nothing was imported (1 error(s))." in result.output


def test_console_script_runs_as_a_process(tmp_path, sqlite_template):
    """On a migrated instance (a copy of the session's template): migrating an empty one, which the
    command does first, is test_init_creates_the_database's and cost this process ~0.6 CPU-s."""
    (tmp_path / "instance").mkdir()
    shutil.copy(sqlite_template.path, tmp_path / "instance" / "ideapankki.db")
    env = {**os.environ, "IDEAPANKKI_INSTANCE": str(tmp_path / "instance")}
    env.pop("IDEAPANKKI_DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-m", "ideapankki.cli", "import", str(tmp_path / "missing")],
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "no such file or folder" in result.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.sqlite_only("every database's part of a first start runs on both in the tests above: migrating an "
                         "empty database (test_init_creates_the_database), importing and publishing the seed "
                         "content, then the index's catch-up (test_import_then_export_round_trips_the_seed_content)")
def test_serve_migrates_seeds_and_serves_on_first_start(tmp_path, database_env):
    port = free_port()
    env = {**os.environ, "IDEAPANKKI_INSTANCE": str(tmp_path / "instance")}
    env.pop("IDEAPANKKI_SECRET_KEY", None)
    process = subprocess.Popen([sys.executable, "-m", "ideapankki.cli", "serve", "--port", str(port)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            lines.append(line)
            if "is running at" in line:
                break
        assert f"http://127.0.0.1:{port}/" in "".join(lines), lines
        body = None
        for _ in range(50):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/entries", timeout=5) as response:
                    body = response.read().decode()
                break
            except OSError:
                time.sleep(0.1)
        count = sum(1 for p in CONTENT_DIR.rglob("*.md") if p.parent.name != "programmes")  # entries only
        assert body is not None and f"{count} merkintää" in body
        assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o077 == 0
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def test_user_add_and_role_from_the_command_line(runner):
    result = runner.invoke(main, ["user", "add", "Admin@Kuntaliitto.fi", "--role", "admin", "--password-stdin"],
                           input="pitkä ylläpitäjän salalause\n")
    assert result.exit_code == 0, result.output
    assert "Created admin@kuntaliitto.fi (admin)." in result.output
    result = runner.invoke(main, ["user", "add", "maija@kajaani.fi", "--role", "member", "--org", "Kajaani",
                                  "--password-stdin"], input="kuusi sanaa kulkee kauas\n")
    assert "Created maija@kajaani.fi (member, Kajaani)." in result.output
    result = runner.invoke(main, ["user", "role", "maija@kajaani.fi", "moderator"])
    assert result.exit_code == 0 and "maija@kajaani.fi is now moderator." in result.output


def test_user_add_refuses_weak_passwords_and_duplicates(runner):
    weak = runner.invoke(main, ["user", "add", "a@b.fi", "--role", "admin", "--password-stdin"], input="salasana\n")
    assert weak.exit_code == 1 and "too short" in weak.output
    runner.invoke(main, ["user", "add", "a@b.fi", "--role", "admin", "--password-stdin"],
                  input="pitkä ylläpitäjän salalause\n")
    again = runner.invoke(main, ["user", "add", "a@b.fi", "--role", "admin", "--password-stdin"],
                          input="pitkä ylläpitäjän salalause\n")
    assert again.exit_code == 1 and "exists" in again.output
    missing = runner.invoke(main, ["user", "role", "nobody@b.fi", "admin"])
    assert missing.exit_code == 1 and "no account" in missing.output


def test_moderator_digest_runs_from_cron_with_nothing_to_send(runner, monkeypatch):
    monkeypatch.setenv("IDEAPANKKI_SECRET_KEY", "cron-test")
    monkeypatch.setenv("IDEAPANKKI_PUBLIC_URL", "https://ideapankki.example.fi")
    for _run in range(2):  # twice: a second run the same day is as harmless as the first
        result = runner.invoke(main, ["moderator-digest"])
        assert result.exit_code == 0, result.output
        assert result.output.startswith("0 digests planned for 0 moderators due")


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_import_shows_done_rate_and_time_left_on_a_terminal_and_nothing_in_a_pipe(runner, monkeypatch, tmp_path):
    from ideapankki import progress

    monkeypatch.delenv("CI", raising=False)
    folder = tmp_path / "tuonti"  # the seed's norm proposals: the bar needs a few entries, not the whole seed
    shutil.copytree(CONTENT_DIR / "norm", folder / "norm")
    count = len(list(folder.rglob("*.md")))
    assert count > 1
    piped = runner.invoke(main, ["import", str(folder)])  # the runner's streams are no terminal
    assert piped.exit_code == 0 and "Importing" not in piped.output and "entries/s" not in piped.output
    terminal = _Terminal()
    monkeypatch.setattr(progress, "sys", SimpleNamespace(stderr=terminal))
    result = runner.invoke(main, ["import", str(folder)])
    assert result.exit_code == 0, result.output
    shown = terminal.getvalue()
    assert "Importing" in shown and f"{count}/{count}" in shown and "entries/s" in shown
