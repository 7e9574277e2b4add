"""`ideapankki serve --workers N`: gunicorn after one set-up in the master, JSON lines only on
standard error (the app's and gunicorn's own), clean stop."""

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ideapankki.cli import main
from ideapankki.web.serving.server import JsonLogger, options

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from liveserver import Browser, LiveServer  # noqa: E402


def test_production_server_requires_the_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv("IDEAPANKKI_INSTANCE", str(tmp_path / "instance"))
    for name in ("IDEAPANKKI_SECRET_KEY", "IDEAPANKKI_PUBLIC_URL", "IDEAPANKKI_HTTPS", "IDEAPANKKI_PROXY_FIX"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(main, ["serve", "--workers", "2"])
    assert result.exit_code == 1 and "IDEAPANKKI_SECRET_KEY is not set" in result.output
    assert "IDEAPANKKI_PUBLIC_URL is not set" in result.output  # every missing setting, at once
    assert not (tmp_path / "instance" / "secret_key").exists()
    monkeypatch.setenv("IDEAPANKKI_SECRET_KEY", "serving-test")
    monkeypatch.setenv("IDEAPANKKI_PUBLIC_URL", "https://ideapankki.example.fi")
    result = CliRunner().invoke(main, ["serve", "--workers", "2"])
    assert result.exit_code == 1 and "set IDEAPANKKI_HTTPS=1" in result.output
    assert "set IDEAPANKKI_PROXY_FIX" in result.output
    result = CliRunner().invoke(main, ["serve", "--workers", "2", "--debug"])
    assert result.exit_code == 2 and "--debug runs the development server" in result.output


def test_gunicorn_trusts_no_proxy_header_itself_and_logs_no_access_lines_of_its_own():
    settings = options(3, "0.0.0.0", 8000)
    assert settings["bind"] == "0.0.0.0:8000" and settings["workers"] == 3
    assert settings["forwarded_allow_ips"] == "" and settings["secure_scheme_headers"] == {}
    assert settings["accesslog"] is None and settings["preload_app"] is False
    assert options(1, "::1", 80)["bind"] == "[::1]:80"


def test_gunicorn_error_log_records_are_json_lines_with_the_traceback_inside(capsys):
    from gunicorn.config import Config

    logger = JsonLogger(Config())
    try:
        logger.info("Booting worker with pid: %s", 42)
        try:
            raise ValueError("broken worker")
        except ValueError:
            logger.exception("Exception in worker process")
    finally:
        for handler in list(logger.error_log.handlers):
            logger.error_log.removeHandler(handler)
    booting, failed = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert booting["message"] == "Booting worker with pid: 42" and booting["level"] == "INFO"
    assert booting["logger"] == "gunicorn.error" and isinstance(booting["pid"], int) and "T" in booting["at"]
    assert failed["level"] == "ERROR" and "ValueError: broken worker" in failed["exception"]
    assert logging.getLogger("gunicorn.error").handlers == []


def test_site_log_lines_are_json_and_written_once():
    """Flask's app logger is the parent of the access and audit loggers: each line must go out
    once, as JSON, even after Flask first logs something itself."""
    code = (
        "from flask import Flask\n"
        "from ideapankki import logs\n"
        "logs.configure()\n"
        "app = Flask('ideapankki')\n"
        "app.logger.warning('search index missing')\n"
        "logs.emit(logs.ACCESS, {'path': '/'})\n"
        "logs.emit(logs.AUDIT, {'event': 'published'})\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert [line.get("message") for line in lines] == ["search index missing", None, None]
    assert lines[0]["level"] == "WARNING" and lines[0]["logger"] == "ideapankki"
    assert lines[1:] == [{"path": "/"}, {"event": "published"}]


@pytest.mark.slow
def test_serve_with_workers_answers_from_every_worker_and_stops_gracefully(tmp_path, sqlite_template):
    """On a migrated database without entries (a copy of the session's template): the master publishes the
    seed and builds the index; migrating an empty database is test_init_creates_the_database's."""
    (tmp_path / "instance").mkdir()
    shutil.copy(sqlite_template.path, tmp_path / "instance" / "ideapankki.db")
    server = LiveServer(tmp_path / "instance", workers=2, log_path=tmp_path / "serve.log",
                        errors_path=tmp_path / "serve.err", env={"IDEAPANKKI_SECRET_KEY": "serving-test"}).start()
    try:
        workers = server.worker_pids()
        assert len(workers) == 2
        browser = Browser(server.base)
        status, headers, text = browser.get("/entries")
        assert status == 200 and "merkintää" in text
        assert "Strict-Transport-Security" not in headers
        assert json.loads(browser.get("/healthz")[2])["status"] == "ok"
        request_id = headers["X-Request-Id"]
        # Voikko is held by one service process; the workers ask it for words the lemma cache lacks
        [service] = server.service_pids()
        status, _headers, text = browser.get("/search?q=kokeiluihinsa")  # in no seed text, as such
        assert status == 200 and "kokeilu" in text.lower()
        assert "kfst" in Path(f"/proc/{service}/maps").read_text()
        for pid in [server.master_pid, *workers]:
            assert "kfst" not in Path(f"/proc/{pid}/maps").read_text()
    finally:
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=60) == 0
        server.process = None
    log = (tmp_path / "serve.log").read_text()
    lines = [json.loads(line) for line in (tmp_path / "serve.err").read_text().splitlines()]  # every one
    assert any(line.get("request_id") == request_id and line["path"] == "/entries" and line["status"] == 200
               for line in lines)
    gunicorn = [line["message"] for line in lines if line.get("logger") == "gunicorn.error"]
    assert any(m.startswith("Starting gunicorn") for m in gunicorn)
    assert sum(m.startswith("Booting worker with pid") for m in gunicorn) == 2
    assert any(m.startswith("Shutting down") for m in gunicorn)
    assert not Path(f"/proc/{service}").exists()  # the service ended with the master
    assert "Published" in log and "with 2 workers" in log
    assert (tmp_path / "instance" / "search" / "current").exists()  # built by the master before the workers


def test_the_master_shares_the_app_modules_and_the_lemma_cache_with_its_workers(tmp_path, monkeypatch):
    import gc

    from ideapankki import accounts

    from ideapankki.web.serving import server as serving
    from ideapankki.search import voikko
    from ideapankki.search.analysis import Lemma
    from ideapankki.search.lemmas import LemmaStore
    from ideapankki.search.store import IndexStore

    root = tmp_path / "search"
    root.mkdir()
    LemmaStore(root / "lemmas.sqlite").add({"kuntakokeiluissa": Lemma(("kuntakokeilu",), ("kunta", "kokeilu"))})
    service = None
    monkeypatch.setattr(accounts, "_dummy_hash", None)  # as after importing the app: no hash made yet
    try:
        service = serving.start_voikko()
        serving.share_with_workers(root)
        assert accounts._dummy_hash is not None  # made here, once, not on each worker's first log-in
        assert "kuntakokeiluissa" in LemmaStore.shared(root / "lemmas.sqlite").words
        assert IndexStore(root).lemmas is LemmaStore.shared(root / "lemmas.sqlite")  # what a worker opens
        assert {"ideapankki.web.serving.http_cache", "ideapankki.accounts", "zxcvbn"} <= set(sys.modules)
        assert gc.get_freeze_count() > 0
        assert voikko._client is not None and voikko.analyse("kunnissa") == [("kunta", None)]  # asked of the service
    finally:
        gc.unfreeze()
        voikko.use_local()
        if service is not None:
            service.stop()


def test_the_master_migrates_apart_and_holds_no_alembic(tmp_path):
    """What the master holds, every worker it forks holds too (in its resident size): the set-up
    runs in a child (server.apart), and the app's modules import Alembic only to migrate."""
    from ideapankki.web.serving import server as serving

    done = tmp_path / "done"
    serving.apart(lambda: done.write_text(str(os.getpid())))
    assert done.read_text() != str(os.getpid())  # ran, in another process
    for failing, code in ((lambda: 1 / 0, 1), (lambda: sys.exit(3), 3)):
        with pytest.raises(SystemExit) as stopped:
            serving.apart(failing)
        assert stopped.value.code == code
    shared = ("import importlib, pkgutil, sys, ideapankki, ideapankki.cli\n"
              "for m in pkgutil.walk_packages(ideapankki.__path__, prefix='ideapankki.'):\n"
              "    m.name.endswith('__main__') or importlib.import_module(m.name)\n"
              "print(sorted({m.split('.')[0] for m in sys.modules} & {'alembic', 'mako', 'pygments'}))\n"
              "print(ideapankki.accounts._dummy_hash)")  # no argon2 hash at production cost on import
    found = subprocess.run([sys.executable, "-c", shared], capture_output=True, text=True, check=True)
    assert found.stdout.split() == ["[]", "None"]
