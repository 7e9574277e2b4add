"""How long does `ideapankki notify` take, and how much memory, for many followers and changes?

    python bench/notify.py [--followers 10000] [--changes 1000] [--database-url URL] [--keep DIR]

In a temporary instance (SQLite, or the empty PostgreSQL database URL given): migrates, makes
FOLLOWERS confirmed followers (addresses bench-N@example.fi, immediate mail, fi/sv/en in turn)
following a mix of things — everything 10 %, a theme 30 %, a municipality 25 %, a region 15 %,
one entry 10 %, a search 10 % (eight distinct queries) — publishes CHANGES new entries (each one
event, like a moderator's publication), brings the search index up to date, and then runs
`ideapankki notify --limit FOLLOWERS` once as a real process against a loopback SMTP sink
(aiosmtpd on 127.0.0.1). It prints a table: the run's wall time, the process's peak memory
(ru_maxrss of the child), digests planned, mails the sink received, and mail per second; a
second run right after shows the cost of a run with nothing to do. Three of the mails as
received are written to the folder (received-N.eml) for reading.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from aiosmtpd.controller import Controller
from sqlmodel import Session, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ideapankki import digests, migrate, workflow  # noqa: E402
from ideapankki.content import EntryDocument  # noqa: E402
from ideapankki.db import create_db_engine  # noqa: E402
from ideapankki.entries import save_document  # noqa: E402
from ideapankki.models import EntryState, Follower, Municipality, Subscription, utcnow  # noqa: E402
from ideapankki.reference import THEME_SLUGS  # noqa: E402
from ideapankki.search import open_index  # noqa: E402

QUERIES = ["kokeilu", "työllisyys", "koulu", "asuminen", "liikunta", "digitaalinen", "nuoret", "ikääntyneet"]
WORDS = ("kunta kokeilu palvelu asukas koulu nuoret liikunta kirjasto asuminen työllisyys ikääntyneet "
         "digitaalinen yhteistyö hoiva kulttuuri ympäristö energia liikenne osallisuus yrittäjyys").split()


class Sink:
    """Counts what the SMTP server receives and keeps the first few messages."""

    def __init__(self, keep: int = 3):
        self.count, self.bytes, self.kept, self.keep = 0, 0, [], keep

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.count += 1
        self.bytes += len(envelope.original_content)
        if len(self.kept) < self.keep:
            self.kept.append(envelope.original_content)
        return "250 OK"


def _entries(session: Session, count: int, rng: random.Random, codes: list[str], prefix: str) -> list[int]:
    themes = sorted(THEME_SLUGS)
    ids = []
    for number in range(count):
        title = " ".join(rng.choice(WORDS) for _ in range(5)).capitalize() + f" {number}"
        doc = EntryDocument(slug=f"{prefix}-{number}", type=rng.choice(["practice", "idea", "norm"]), title=title,
                            summary=" ".join(rng.choice(WORDS) for _ in range(18)).capitalize() + ".",
                            body="## Tausta\n\n" + " ".join(rng.choice(WORDS) for _ in range(80)),
                            themes=rng.sample(themes, 2), published=date(2026, 12, 1))
        entry, _ = save_document(session, doc, rng.sample(codes, 2))
        workflow.place_by_operator(session, entry, EntryState.published, "bench")
        ids.append(entry.id)
    return ids


def _followers(session: Session, count: int, rng: random.Random, codes: list[str], regions: list[str],
               entry_ids: list[int]) -> None:
    now = utcnow()
    themes = sorted(THEME_SLUGS)
    session.execute(sa.insert(Follower), [
        {"email": f"bench-{n}@example.fi", "token": f"t{n:08d}" + "x" * 30, "frequency": "immediate",
         "language": ("fi", "sv", "en")[n % 3], "created_at": now, "confirmed_at": now, "seen_event_id": 0,
         "sent_that_day": 0} for n in range(count)])
    ids = session.exec(select(Follower.id).order_by(Follower.id)).all()
    rows = []
    for follower_id in ids:
        draw = rng.random()
        kind, value = (("all", "") if draw < 0.10 else ("theme", rng.choice(themes)) if draw < 0.40
                       else ("municipality", rng.choice(codes)) if draw < 0.65 else ("region", rng.choice(regions))
                       if draw < 0.80 else ("entry", str(rng.choice(entry_ids))) if draw < 0.90
                       else ("search", f"q={rng.choice(QUERIES)}"))
        rows.append({"follower_id": follower_id, "kind": kind, "value": value, "requested_at": now,
                     "confirmed_at": now})
    session.execute(sa.insert(Subscription), rows)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(env: dict, limit: int) -> tuple[float, int, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "ideapankki.cli", "notify", "--limit", str(limit)], env=env,
                          capture_output=True, text=True, timeout=3600)
    took = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode:
        sys.exit(f"notify failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return took, max(peak, before), done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--followers", type=int, default=10_000)
    parser.add_argument("--changes", type=int, default=1_000)
    parser.add_argument("--database-url", default=None, help="an empty PostgreSQL database (default: SQLite)")
    parser.add_argument("--keep", type=Path, default=None, help="keep the instance and the mails in this folder")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-notify-"))
    folder.mkdir(parents=True, exist_ok=True)
    instance = folder / "instance"
    instance.mkdir(exist_ok=True)
    url = args.database_url or f"sqlite:///{instance / 'ideapankki.db'}"
    engine = create_db_engine(url)
    rng = random.Random(18)
    print(f"setting up {args.followers} followers and {args.changes} changes in {folder} ...", flush=True)
    migrate.init_database(engine)
    with Session(engine) as session:
        municipalities = session.exec(select(Municipality.code, Municipality.region_code)).all()
        codes = [code for code, _region in municipalities]
        regions = sorted({region for _code, region in municipalities})
        seed_ids = _entries(session, 20, rng, codes, "aiempi")  # entries to follow one by one, published before
        digests.collect(session, utcnow())  # the cursors start here: what follows is news
        session.commit()
        _followers(session, args.followers, rng, codes, regions, seed_ids)
        session.commit()
        _entries(session, args.changes, rng, codes, "muutos")
        session.commit()
        entries = session.exec(select(sa.func.count()).select_from(sa.table("entry"))).one()
    index = open_index({"INSTANCE_DIR": instance, "DATABASE_URL": url}, engine)
    index.rebuild()  # as the site keeps it current after each publication
    engine.dispose()

    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    env = {**os.environ, "IDEAPANKKI_INSTANCE": str(instance), "IDEAPANKKI_DATABASE_URL": url,
           "IDEAPANKKI_SECRET_KEY": "bench", "IDEAPANKKI_PUBLIC_URL": "https://ideapankki.example.fi",
           "IDEAPANKKI_SMTP_HOST": "127.0.0.1", "IDEAPANKKI_SMTP_PORT": str(port)}
    try:
        took, peak_kb, output = _run(env, args.followers)
        received = sink.count
        idle_took, _idle_peak, idle_output = _run(env, args.followers)
    finally:
        controller.stop()
    for number, raw in enumerate(sink.kept):
        (folder / f"received-{number}.eml").write_bytes(raw)
    database = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    print(f"\nnotify: {output}\nsecond run: {idle_output}\n")
    rows = [("database", database), ("followers", f"{args.followers:,}"), ("published entries", f"{entries:,}"),
            ("changes (events)", f"{args.changes:,}"), ("mails received by the sink", f"{received:,}"),
            ("bytes received", f"{sink.bytes:,}"), ("run time (wall)", f"{took:.1f} s"),
            ("mails per second", f"{received / took:.0f}"), ("peak memory (ru_maxrss)", f"{peak_kb / 1024:.0f} MB"),
            ("second run, nothing new", f"{idle_took:.1f} s, {sink.count - received} mails")]
    width = max(len(name) for name, _value in rows)
    print(f"| {'measure'.ljust(width)} | value |\n|{'-' * (width + 2)}|-------|")
    for name, value in rows:
        print(f"| {name.ljust(width)} | {value} |")
    print(f"\nmails as received: {folder}/received-*.eml")
    if args.keep is None:
        for path in folder.glob("received-*.eml"):
            print(f"\n--- {path.name} ---\n{path.read_text(encoding='utf-8', errors='replace')[:3000]}")
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
