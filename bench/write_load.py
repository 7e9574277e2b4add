"""Write load: concurrent members submitting entries through the web form, then every one checked.

    python bench/write_load.py [--clients 32] [--duration 60] [--postgres-url URL]

Starts `ideapankki serve --workers 2` on a new instance (SQLite in a temporary folder; with
--postgres-url also a second round on that database, which must be empty or disposable: the
schema is migrated into it), logs CLIENTS members in through the log-in form (CSRF and all),
and has each POST the submission form (`/new/idea`, do=submit) as fast as the server answers
for DURATION seconds. An acknowledged submission is a 302 to /my. Prints submissions/s, POST
latency, errors by kind ("database is locked" in the server's log counts as an error), and
whether every acknowledged submission is in the database afterwards; then the server's CPU time
per submission (master, workers and Voikko service; the database server's own is not counted),
which, unlike the rate, hardly depends on what else the machine is running, and the load average.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import os
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from liveserver import PROJECT_DIR, Browser, LiveServer, cpu_seconds, redirect_path  # noqa: E402

sys.path.insert(0, str(PROJECT_DIR))
PASSWORD = "kuusi sanaa kulkee kauas"


def prepare(url: str, clients: int) -> list[str]:
    """Migrate, publish the seed, create CLIENTS approved members; return their e-mail addresses."""
    from ideapankki import accounts, migrate
    from ideapankki.config import CONTENT_DIR
    from ideapankki.db import create_db_engine, session_scope
    from ideapankki.models import Role

    engine = create_db_engine(url)
    try:
        migrate.init_database(engine)
        migrate.seed_if_empty(engine, CONTENT_DIR)
        emails = [f"kuormitus{i:02d}@kajaani.fi" for i in range(clients)]
        with session_scope(engine) as session:
            organisation = accounts.find_or_create_organisation(session, "Kajaani")
            for email in emails:
                if accounts.get_by_email(session, email) is None:
                    accounts.add_user(session, email=email, role=Role.member, password=PASSWORD,
                                      organisation=organisation, name=email.split("@")[0])
    finally:
        engine.dispose()
    return emails


def form(title: str) -> dict:
    return {"title": title, "summary": "Kuormitustesti: kunta kokeilee uutta tapaa järjestää palvelu.",
            "body": "## Mitä tehdään\n\nKokeillaan, miten palvelu toimii, kun sitä käyttää moni yhtä aikaa.",
            "language": "fi", "municipalities": "Kajaani", "themes": ["tyollisyys"], "tags": "kuormitus",
            "links": "", "origin": "", "do": "submit"}


def client(base: str, email: str, deadline: list[float], acked: list, latencies: list, errors: collections.Counter,
           lock: threading.Lock, ready: threading.Barrier, logins: threading.Semaphore) -> None:
    browser = Browser(base, timeout=30)
    try:
        with logins:  # log-ins are set-up, not the load: as many at a time as there are workers
            browser.log_in(email, PASSWORD)
        token = browser.token("/new/idea")  # the session's CSRF token; the form page itself is a read
    except (OSError, http.client.HTTPException, RuntimeError) as exc:
        with lock:
            errors[f"log-in: {exc!r}"] += 1
        ready.abort()
        return
    ready.wait()
    mine, times, bad = [], [], collections.Counter()
    while time.monotonic() < deadline[0]:
        title = f"Kuormitustesti {email.split('@')[0]} {uuid.uuid4().hex[:10]}"
        started = time.perf_counter()
        try:
            status, headers, _text = browser.post("/new/idea", {**form(title), "csrf_token": token})
        except (OSError, http.client.HTTPException) as exc:
            bad[type(exc).__name__] += 1
            continue
        times.append((time.perf_counter() - started) * 1000)
        if status == 302 and redirect_path(headers) == "/my":
            mine.append(title)
        else:
            bad[f"HTTP {status}"] += 1
    with lock:
        acked.extend(mine)
        latencies.extend(times)
        errors.update(bad)


def run_round(label: str, url: str | None, instance: Path, clients: int, duration: float, workers: int) -> dict:
    instance.mkdir(parents=True, exist_ok=True)
    database_url = url or f"sqlite:///{instance / 'ideapankki.db'}"
    emails = prepare(database_url, clients)
    env = {"IDEAPANKKI_SECRET_KEY": "bench-write-load", "IDEAPANKKI_DATABASE_URL": database_url,
           "IDEAPANKKI_SUBMISSIONS_PER_HOUR": "100000"}  # the per-account limit (main) would cap the load
    acked: list[str] = []
    latencies: list[float] = []
    errors: collections.Counter = collections.Counter()
    lock = threading.Lock()
    with LiveServer(instance, workers=workers, env=env) as server:
        deadline = [0.0]
        # The clock starts when every client has logged in; set before any of them is let go.
        ready = threading.Barrier(clients + 1, action=lambda: deadline.__setitem__(0, time.monotonic() + duration))
        logins = threading.Semaphore(workers)
        threads = []

        def start(email: str) -> threading.Thread:
            thread = threading.Thread(target=lambda: client(server.base, email, deadline, acked, latencies,
                                                            errors, lock, ready, logins))
            thread.start()
            return thread

        threads = [start(email) for email in emails]
        try:
            ready.wait()  # every client has logged in: the clock starts now
        except threading.BrokenBarrierError:
            raise SystemExit(f"log-in failed: {dict(errors)}; see {server.log_path}") from None
        began = deadline[0] - duration
        processes = [server.master_pid, *server.worker_pids(), *server.service_pids()]
        cpu_before = sum(map(cpu_seconds, processes))
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - began
        cpu = sum(map(cpu_seconds, processes)) - cpu_before
        log_text = server.log_path.read_text(errors="replace")
    locked = log_text.count("(sqlite3.OperationalError) database is locked")
    if locked:
        errors["'database is locked' in the server log"] += locked
    missing = check_present(database_url, acked)
    latencies.sort()
    pick = (lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))]) if latencies else (lambda p: 0.0)
    return {"label": label, "acked": len(acked), "rate": len(acked) / elapsed, "p50": pick(0.5), "p99": pick(0.99),
            "errors": errors, "missing": missing, "elapsed": elapsed,
            "cpu_ms": cpu * 1000 / max(1, len(acked)), "load": os.getloadavg()[0]}


def check_present(url: str, titles: list[str]) -> int:
    """How many acknowledged submissions are not in the database as submitted entries."""
    import sqlalchemy as sa

    from ideapankki.db import create_db_engine

    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            found = set()
            for start in range(0, len(titles), 500):
                found |= set(connection.execute(sa.text(
                    "SELECT title FROM entry WHERE state = 'submitted' AND title IN :titles").bindparams(
                    sa.bindparam("titles", expanding=True)), {"titles": titles[start:start + 500]}).scalars())
    finally:
        engine.dispose()
    return len(set(titles) - found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=60, help="seconds of submitting (60)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres-url", help="also run on this PostgreSQL database (it is migrated)")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--keep", metavar="DIR", help="put the instances and server logs in DIR and keep them")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="ideapankki-write-") as tmp:
        tmp = args.keep or tmp
        if not args.skip_sqlite:
            results.append(run_round("SQLite", None, Path(tmp) / "sqlite", args.clients, args.duration, args.workers))
        if args.postgres_url:
            results.append(run_round("PostgreSQL", args.postgres_url, Path(tmp) / "postgres", args.clients,
                                     args.duration, args.workers))
    print(f"\nWrite load: {args.clients} clients submitting for {args.duration:g}s, serve --workers {args.workers}\n")
    print(f"{'database':<11} {'acked':>6} {'subm/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'errors':>7} {'missing':>8} "
          f"{'CPU ms':>7} {'load':>5}  verdict")
    failed = False
    for r in results:
        ok = not r["errors"] and r["missing"] == 0 and r["acked"] > 0
        failed |= not ok
        print(f"{r['label']:<11} {r['acked']:>6} {r['rate']:>7.1f} {r['p50']:>7.0f} {r['p99']:>7.0f} "
              f"{sum(r['errors'].values()):>7} {r['missing']:>8} {r['cpu_ms']:>7.1f} {r['load']:>5.1f}  "
              f"{'PASS' if ok else 'FAIL'}")
        for kind, count in r["errors"].most_common():
            print(f"    error: {kind}: {count}")
    print("CPU ms: the server's CPU time per acknowledged submission; load: the 1-minute load average at the end")
    print(f"\n{'FAIL' if failed else 'PASS'}: 0 errors and every acknowledged submission present")


if __name__ == "__main__":
    main()
