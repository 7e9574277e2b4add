"""Crash test: kill -9 workers, then the master, of `ideapankki serve --workers 2` under concurrent writes.

In each round 20 threads each save and submit entries through the web forms at once while
moderators take and publish them: ten times the server's two sync workers, which handle one request
each at a time, so every kill meets requests in progress and more waiting in the listen queue.
(Until December 2026 it was 100 threads and 100 entries a round, 275 entries in all: the server held
the same two requests at a time, and the test took 50-80 s, the last of the suite to finish.)

Round 1 kills a random worker (the master replaces it); round 2 kills the master itself (and its
workers, as systemd does when the main process of a service dies), and starts the server again on
the same instance. Each kill comes at a fixed point of the write stream (every ACKS_BETWEEN_KILLS
acknowledged writes), with more entries handed out so writes are in flight: the kills are a
precondition the test makes true, and only a lost or half-written write (or a server that stops
answering) fails it. Afterwards every acknowledged write is there, no entry is half-written,
SQLite's integrity check is ok, and the search index (through the API) equals the published set.
"""

import http.client
import os
import queue
import random
import shutil
import signal
import sqlite3
import sys
import threading
import time
from pathlib import Path

import pytest

from factories import make_entry
from ideapankki import accounts
from ideapankki.db import create_db_engine, session_scope
from ideapankki.models import Role

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from liveserver import Browser, LiveServer, alive, redirect_path  # noqa: E402

pytestmark = pytest.mark.slow(first=True)  # the suite's longest test: started first (tests/conftest.py)

PASSWORD = "kuusi sanaa kulkee kauas"
MEMBERS, THREADS_PER_MEMBER = 2, 10  # 20 concurrent submitters (a log-in costs ~1 s: production argon2)
MODERATORS, THREADS_PER_MODERATOR = 2, 2
SUBMISSIONS = 40  # per round: 80 acknowledged writes, the three kills come after 15, 30 and 45
WORKER_KILLS = MASTER_KILLS = 3
ACKS_BETWEEN_KILLS = 15  # acknowledged writes (saved drafts, submissions) between two kills
PROGRESS_DEADLINE_S = 120  # no acknowledged write for this long: the server is stuck, a real failure
INDEX_DEADLINE_S = 30
UNLIMITED = {"IDEAPANKKI_SUBMISSIONS_PER_HOUR": "100000"}  # the per-account limit is not under test


class Ledger:
    """What the server acknowledged: slug → title of drafts, and the slugs submitted and published."""

    def __init__(self):
        self.lock = threading.Lock()
        self.drafts: dict[str, str] = {}
        self.submitted: set[str] = set()
        self.published: set[str] = set()
        self.review: queue.Queue = queue.Queue()
        self.tickets: queue.Queue = queue.Queue()  # one ticket: one entry to save and submit
        self.issued = self.finished = self.queued = self.reviewed = 0
        self.failures = 0

    def issue(self, count: int) -> None:
        with self.lock:
            self.issued += count
        for _ in range(count):
            self.tickets.put(None)

    def acknowledged(self) -> int:
        with self.lock:
            return len(self.drafts) + len(self.submitted)

    def round_done(self) -> bool:
        with self.lock:
            return self.finished == self.issued and self.reviewed == self.queued


def _draft(title: str) -> dict:
    return {"title": title, "summary": "Kaatumistesti: kunta kokeilee palvelua, ja palvelin kaatuu kesken.",
            "body": "## Mitä tehdään\n\nKokeillaan, säilyykö kaikki kuitattu.", "language": "fi",
            "municipalities": "Kajaani", "themes": ["tyollisyys"], "tags": "kaatumistesti", "links": "",
            "origin": "", "do": "save"}


def _call(stop: threading.Event, ledger: Ledger, request):
    """REQUEST() until the server answers (it may be restarting); None when stopping."""
    while not stop.is_set():
        try:
            return request()
        except (OSError, http.client.HTTPException):  # refused, reset, or cut off mid-answer
            with ledger.lock:
                ledger.failures += 1
            time.sleep(0.2 + random.random() * 0.5)
    return None


def member(base: str, cookies: dict, token: str, number: int, stop: threading.Event, ledger: Ledger) -> None:
    browser = Browser(base, timeout=30)
    browser.cookies = dict(cookies)
    serial = 0
    while not stop.is_set():
        try:
            ledger.tickets.get(timeout=0.5)
        except queue.Empty:
            continue
        serial += 1
        try:
            submit(browser, token, f"Kaatumistesti {number}-{serial}", stop, ledger)
        finally:
            with ledger.lock:
                ledger.finished += 1


def submit(browser: Browser, token: str, title: str, stop: threading.Event, ledger: Ledger) -> None:
    """Save a draft of TITLE and send it for review, recording what the server acknowledged."""
    answer = _call(stop, ledger, lambda: browser.post("/new/idea", {**_draft(title), "csrf_token": token}))
    if answer is None or answer[0] != 302:
        return
    slug = redirect_path(answer[1]).split("/")[2]  # /entries/<slug>/edit
    with ledger.lock:
        ledger.drafts[slug] = title
    answer = _call(stop, ledger, lambda: browser.post(f"/entries/{slug}/act",
                                                      {"action": "submit", "csrf_token": token}))
    if answer is not None and answer[0] == 302:
        with ledger.lock:
            ledger.submitted.add(slug)
    if answer is not None and answer[0] in (302, 409):  # 409: an earlier, unanswered try went through
        with ledger.lock:
            ledger.queued += 1
        ledger.review.put(slug)


def moderator(base: str, cookies: dict, token: str, stop: threading.Event, ledger: Ledger) -> None:
    browser = Browser(base, timeout=30)
    browser.cookies = dict(cookies)
    while not stop.is_set():
        try:
            slug = ledger.review.get(timeout=0.5)
        except queue.Empty:
            continue
        for action in ("take", "publish"):
            answer = _call(stop, ledger, lambda: browser.post(f"/entries/{slug}/act",
                                                              {"action": action, "csrf_token": token}))
            if answer is None or answer[0] not in (302, 409):
                break
            if action == "publish" and answer[0] == 302:
                with ledger.lock:
                    ledger.published.add(slug)
        with ledger.lock:
            ledger.reviewed += 1


def _accounts(instance: Path, template: Path) -> tuple[list[str], list[str]]:
    """The site's database, a copy of the session's migrated template (what `ideapankki init` makes), with the
    accounts and one published entry: a bank with an entry is not seeded at the first start (publishing and
    indexing the seed content was ~1 CPU-s of the server's, nothing this test is about)."""
    shutil.copy(template, instance / "ideapankki.db")
    engine = create_db_engine(f"sqlite:///{instance / 'ideapankki.db'}")
    members = [f"jasen{i}@kajaani.fi" for i in range(MEMBERS)]
    moderators = [f"moderaattori{i}@kuntaliitto.fi" for i in range(MODERATORS)]
    with session_scope(engine) as session:
        organisation = accounts.find_or_create_organisation(session, "Kajaani")
        for email in members:
            accounts.add_user(session, email=email, role=Role.member, password=PASSWORD, organisation=organisation)
        for email in moderators:
            accounts.add_user(session, email=email, role=Role.moderator, password=PASSWORD)
        make_entry(session, "ennen-kaatumisia", commit=False)
    engine.dispose()
    return members, moderators


def _session(base: str, email: str) -> tuple[dict, str]:
    browser = Browser(base, timeout=60)
    browser.log_in(email, PASSWORD)
    return browser.cookies, browser.token("/new/idea" if email.startswith("jasen") else "/account")


def _indexed_slugs(base: str) -> set[str] | None:
    slugs, page = set(), 1
    browser = Browser(base, timeout=30)
    while True:
        status, _headers, text = browser.get(f"/api/v1/search?per_page=100&page={page}")
        if status != 200:
            return None
        import json

        data = json.loads(text)
        slugs |= {hit["slug"] for hit in data["results"]}
        if page * 100 >= data["total"]:
            return slugs
        page += 1


def _await_writes(ledger: Ledger, count: int, what: str, number: int) -> None:
    """Wait until COUNT writes are acknowledged: the fixed point of the write stream for a kill."""
    last, deadline = ledger.acknowledged(), time.monotonic() + PROGRESS_DEADLINE_S
    while (seen := ledger.acknowledged()) < count:
        if seen != last:
            last, deadline = seen, time.monotonic() + PROGRESS_DEADLINE_S
        assert time.monotonic() < deadline, f"no write acknowledged for {PROGRESS_DEADLINE_S}s before {what} {number}"
        _keep_in_flight(ledger)
        time.sleep(0.02)


def _keep_in_flight(ledger: Ledger) -> None:
    """Hand out more entries while the submitters have none queued, so a kill always meets writes."""
    if ledger.tickets.qsize() < MEMBERS * THREADS_PER_MEMBER // 2:
        ledger.issue(MEMBERS * THREADS_PER_MEMBER // 2)


def _await_round(ledger: Ledger, what: str) -> None:
    """Wait until every issued entry is answered and reviewed, as long as writes keep being acknowledged."""
    last, deadline = ledger.acknowledged(), time.monotonic() + PROGRESS_DEADLINE_S
    while not ledger.round_done():
        if (seen := ledger.acknowledged()) != last:
            last, deadline = seen, time.monotonic() + PROGRESS_DEADLINE_S
        assert time.monotonic() < deadline, f"{what}: no write acknowledged for {PROGRESS_DEADLINE_S}s"
        time.sleep(0.2)


def _workers(server: LiveServer) -> list[int]:
    """The server's worker pids, once the master has replaced a killed one."""
    deadline = time.monotonic() + PROGRESS_DEADLINE_S
    while len(workers := server.worker_pids()) < 2:
        assert time.monotonic() < deadline, f"the master has not forked 2 workers in {PROGRESS_DEADLINE_S}s"
        time.sleep(0.05)
    return workers


def test_acknowledged_writes_survive_kill_9_of_workers_and_master(tmp_path, sqlite_template):
    started = time.monotonic()
    instance = tmp_path / "instance"
    instance.mkdir()
    members, moderators = _accounts(instance, sqlite_template.path)
    server = LiveServer(instance, workers=2, env=UNLIMITED, log_path=tmp_path / "serve.log").start()
    orphans: list[int] = []
    stop = threading.Event()
    ledger = Ledger()
    threads = []
    try:
        sessions = {email: _session(server.base, email) for email in members + moderators}
        for i in range(MEMBERS * THREADS_PER_MEMBER):
            cookies, token = sessions[members[i % MEMBERS]]
            threads.append(threading.Thread(target=member, args=(server.base, cookies, token, i, stop, ledger)))
        for i in range(MODERATORS * THREADS_PER_MODERATOR):
            cookies, token = sessions[moderators[i % MODERATORS]]
            threads.append(threading.Thread(target=moderator, args=(server.base, cookies, token, stop, ledger)))
        for thread in threads:
            thread.start()

        timings = {"set-up": time.monotonic() - started}
        # Round 1: 100 submissions at once; kill -9 a worker at fixed points of the write stream
        # (the master forks a new one). The kills are the test's own schedule, not a race with it.
        worker_kills = 0
        ledger.issue(SUBMISSIONS)
        for kill in range(1, WORKER_KILLS + 1):
            _await_writes(ledger, kill * ACKS_BETWEEN_KILLS, "worker kill", kill)
            _keep_in_flight(ledger)
            os.kill(random.choice(_workers(server)), signal.SIGKILL)
            worker_kills += 1
        _await_round(ledger, "round 1")
        timings["round 1"] = time.monotonic() - started - sum(timings.values())
        # Round 2: 100 more; kill -9 the master at fixed points, and start the server again on the same port.
        ledger.issue(SUBMISSIONS)
        base = ledger.acknowledged()
        for kill in range(1, MASTER_KILLS + 1):
            _await_writes(ledger, base + kill * ACKS_BETWEEN_KILLS, "master kill", kill)
            _keep_in_flight(ledger)
            # The workers go with it, as when systemd stops the service: they hold the listening socket.
            orphans += server.kill_master()
            for pid in orphans:
                if alive(pid):
                    os.kill(pid, signal.SIGKILL)
            server = LiveServer(instance, workers=2, env=UNLIMITED, port=server.port,
                                log_path=tmp_path / "serve.log").start()
        _await_round(ledger, "round 2")
        timings["round 2"] = time.monotonic() - started - sum(timings.values())
        stop.set()
        for thread in threads:
            thread.join(timeout=90)
        assert not any(thread.is_alive() for thread in threads)

        # The index converges on the published set without help.
        db = sqlite3.connect(instance / "ideapankki.db")
        published = {row[0] for row in db.execute("SELECT slug FROM entry WHERE state = 'published'")}
        db.close()
        deadline = time.monotonic() + INDEX_DEADLINE_S
        while (indexed := _indexed_slugs(server.base)) != published and time.monotonic() < deadline:
            time.sleep(1)
        assert indexed == published, (len(indexed or ()), len(published))
        timings["index"] = time.monotonic() - started - sum(timings.values())
    finally:
        stop.set()
        server.stop()
        for pid in orphans:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)

    db = sqlite3.connect(instance / "ideapankki.db")
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        entries = {slug: (title, state) for slug, title, state in db.execute("SELECT slug, title, state FROM entry")}
        # Every acknowledged write is there.
        assert {slug: entries.get(slug, (None,))[0] for slug in ledger.drafts} == ledger.drafts
        assert all(entries[slug][1] in ("submitted", "in_review", "published") for slug in ledger.submitted)
        assert all(entries[slug][1] == "published" for slug in ledger.published)
        # Nothing half-written: each entry has a revision, a change-log row, and a state its last move explains.
        assert db.execute("SELECT count(*) FROM entry WHERE id NOT IN (SELECT entry_id FROM revision)").fetchone() == (0,)
        assert db.execute("SELECT count(*) FROM entry WHERE id NOT IN (SELECT entry_id FROM entry_change)"
                          ).fetchone() == (0,)
        unexplained = db.execute("""
            SELECT e.slug, e.state, t.to_state FROM entry e
            LEFT JOIN "transition" t ON t.id = (SELECT max(id) FROM "transition" WHERE entry_id = e.id)
            WHERE coalesce(t.to_state, 'draft') != e.state""").fetchall()
        assert unexplained == []
    finally:
        db.close()
    assert len(ledger.published) >= 10, len(ledger.published)
    print(f"\ncrash test: {len(ledger.drafts)} drafts, {len(ledger.submitted)} submissions and "
          f"{len(ledger.published)} publications acknowledged; {worker_kills} workers and {MASTER_KILLS} masters "
          f"killed; {ledger.failures} requests cut off; {time.monotonic() - started:.0f}s ("
          + ", ".join(f"{k} {v:.0f}s" for k, v in timings.items()) + ")")
