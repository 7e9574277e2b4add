"""The production server: gunicorn run from `ideapankki serve --workers N`, configured in code.

Choices, and why:

- **No preload.** Each worker builds its own app after the fork: its own SQLAlchemy engine
  (SQLite connections must not cross a fork), its own Whoosh searchers and file handles, and
  its own Voikko state. The master only has the index brought up to date before the workers
  start (`_prepare` in cli.py: migrating, seeding, the catch-up, run in a child process by
  `apart`, so no connection and nothing Alembic loaded is inherited). What the master imported stays shared copy-on-write: share_with_workers imports
  the app's modules and loads the lemma cache for that. Voikko (about 200 MB once loaded) is
  in none of them: the master forks one service process that holds it and answers the workers'
  rare new words over a socket (search/voikko.py). A worker that dies (or is killed) is
  replaced by a fresh one; nothing it held carries over.
- **Sync workers.** One request per worker process at a time: no shared state between threads
  (Whoosh searchers, SQLite write locks), and the OS queues the rest. Put nginx in front: it
  buffers slow clients, which sync workers cannot afford.
- **Access log.** Gunicorn's own access log is off; the app writes one JSON line per request on
  `ideapankki.access` (ideapankki.web.serving.access_log). Gunicorn's error log (start-up, workers booting
  and exiting, timeouts) goes to standard error as JSON lines too (JsonLogger), so a collector
  gets one format. Through `logger_class`, not `logconfig_dict`: any logconfig_dict switches on
  gunicorn's access-log path and installs a root handler, which would reformat the app's lines.
- **Proxy headers.** Gunicorn is told to trust none (no forwarded_allow_ips, no secure scheme
  headers); the app alone decides, with IDEAPANKKI_PROXY_FIX (ideapankki.web.serving.proxy).
- **One listening socket, in the master** (no SO_REUSEPORT, with which gunicorn gives each
  worker its own socket): connections waiting to be accepted stay queued when a worker dies,
  and the next worker takes them. The workers of a killed master notice it and exit; a new
  master binds once they are gone (systemd stops them with the rest of the service).
"""

from __future__ import annotations

import gc
import importlib
import logging
import os
import pkgutil
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from ...logs import JsonFormatter

if TYPE_CHECKING:
    from ...search import voikko

DEFAULT_TIMEOUT_S = 60  # a sync worker silent this long is killed and replaced
GRACEFUL_TIMEOUT_S = 30  # on stop or reload, requests in flight get this long to finish


def options(workers: int, host: str = "127.0.0.1", port: int = 5000, **extra) -> dict:
    """The gunicorn settings the site runs with (also used for the benchmark's hello-world)."""
    settings = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "worker_class": "sync",
        "preload_app": False,
        "timeout": DEFAULT_TIMEOUT_S,
        "graceful_timeout": GRACEFUL_TIMEOUT_S,
        "keepalive": 2,
        "reuse_port": False,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "info",
        "forwarded_allow_ips": "",
        "secure_scheme_headers": {},
        "control_socket_disable": True,
        "proc_name": "ideapankki",
        "logger_class": "ideapankki.web.serving.server.JsonLogger",
        "post_request": post_request,
    }
    settings.update(extra)
    return settings


def post_request(_worker, _req, _environ, _resp) -> None:
    """After a response has been sent: collect garbage and trim the heap when due (ideapankki/web/serving/collect.py),
    for every request."""
    from . import collect

    collect.tidy()


class JsonLogger(Logger):
    """Gunicorn's logger with its error-log handlers writing JSON lines (ideapankki.logs)."""

    def setup(self, cfg) -> None:
        super().setup(cfg)  # also run on reload (SIGHUP): the new handlers get the formatter again
        for handler in self.error_log.handlers:
            handler.setFormatter(JsonFormatter())


class Server(BaseApplication):
    """Gunicorn with settings from a dict and an app built by FACTORY in each worker."""

    def __init__(self, factory: Callable[[], object], settings: dict):
        self.factory = factory
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.settings.items():
            if key not in self.cfg.settings:
                raise KeyError(f"unknown gunicorn setting {key!r}")
            self.cfg.set(key, value)

    def load(self):
        return self.factory()


def apart(prepare: Callable[[], None]) -> None:
    """Run PREPARE (the master's set-up: migrating, seeding, the index's catch-up) in a child
    process and wait for it; exit as it failed. Every page of the master's heap is inherited by
    each worker it forks, and counts in the worker's resident size: Alembic with its migration
    scripts and whatever the catch-up left in the heap would be some 10 MB of every worker, for
    work done once. The child inherits the Voikko service's address (start_voikko ran first)."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; tests see what it did (test_serving, test_crash)
        code = 1
        try:
            prepare()
            code = 0
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
        except BaseException:  # noqa: BLE001 - told on standard error, as without the child
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    if code:
        raise SystemExit(code if code > 0 else 1)


def share_with_workers(search_root: Path, database_url: str | None = None) -> None:
    """In the master, before the fork: import every module of the app (and so zxcvbn's word lists,
    Markdown, lxml, argon2...), which the workers would otherwise each import, load the Voikko
    analyses of indexed words and build the search thesaurus of DATABASE_URL's vocabulary, then
    freeze them out of the garbage collector's sight, so that the workers share these pages
    copy-on-write instead of each building its own (about 30 MB a worker, and the thesaurus'
    matcher seconds of a reader's first search). No app or index is opened here, and the engine
    used to read the vocabulary is disposed of: those stay per worker."""
    from ... import __path__ as package_path, accounts
    from ...search.lemmas import LemmaStore

    for module in pkgutil.walk_packages(package_path, prefix="ideapankki."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    accounts.dummy_hash()  # made once here, not on a worker's first log-in for an unknown address

    LemmaStore.shared(search_root / "lemmas.sqlite").load()
    if database_url:
        _prepare_thesaurus(database_url)
    gc.collect()
    gc.freeze()


def _prepare_thesaurus(database_url: str) -> None:
    from ...db import create_db_engine
    from ...search.analysis import voikko_available
    from ...search.thesaurus_cache import prepare

    engine = create_db_engine(database_url)
    try:
        prepare(engine, voikko_available())
    except Exception:  # noqa: BLE001 - each worker builds it then, as it would without the master
        logging.getLogger(__name__).warning("could not build the thesaurus before the fork", exc_info=True)
    finally:
        engine.dispose()


def start_voikko() -> "voikko.Service | None":
    """In the master, first: fork the Voikko service and ask it from here on, so that neither
    the master's own indexing (_prepare in cli.py) nor the workers it forks load Voikko."""
    from ...search import voikko

    if not voikko.available():
        return None
    service = voikko.start_service()
    voikko.use_service(service.address)
    return service


def site_app():
    """The production app, built in a worker: no demo mode, so IDEAPANKKI_SECRET_KEY is required.

    The worker collects cyclic garbage between requests only (ideapankki/web/serving/collect.py: CPython 3.11 can
    crash when a collection starts at the wrong moment inside one), in post_request.
    """
    from ... import create_app
    from . import collect

    app = create_app({"DEMO": False})
    warm_search(app)
    collect.serving_process()
    return app


def warm_search(app) -> None:
    """Have the thesaurus ready before the worker's first request: the master's (share_with_workers)
    when the vocabulary has not changed since, else built here, never on a reader's search."""
    from ..index import search_index

    try:
        search_index(app).vocabulary.current()
    except Exception:  # noqa: BLE001 - the first search builds it then, and says what is wrong
        logging.getLogger(__name__).warning("could not build the thesaurus at start", exc_info=True)


def run(settings: dict, factory: Callable[[], object] = site_app) -> None:
    """Run gunicorn in this process (it becomes the master) until it is stopped."""
    Server(factory, settings).run()
