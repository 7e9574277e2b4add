"""Read load on the production server: req/s and p50/p99 of the site's pages against a hello-world.

    python bench/load.py [--entries N] [--duration S] [--connections C] [--rebuild]

Builds (once; cached under bench/.cache/load-N/) an instance with the seed content plus N
generated published entries (bench/search.py's generator, bulk inserted, then `ideapankki
reindex`), starts `ideapankki serve --workers 2` on it and a bare Flask hello-world under the
same gunicorn settings (ideapankki.serving.options), and drives each with wrk on loopback for
a bounded time (a Python load generator when wrk is missing). Each page cycles through many
URLs (entries, browse pages with filters, search words). The site runs twice: with the page
cache off (every request rendered: a first visit), then as configured, each URL set driven
until its rate settles (every worker has rendered and cached its pages) before the clock runs.
Prints req/s, p50, p99, errors, the ratio to the hello-world measured in the same run,
PASS/FAIL per target (for the second run), and the resident memory of each worker: the highest
sampled under load, and after it (once a second of health checks has let the workers tidy up).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import mix  # noqa: E402
from liveserver import PROJECT_DIR, Browser, LiveServer, free_port, memory_mb  # noqa: E402
from loadgen import run_python, run_wrk  # noqa: E402

sys.path.insert(0, str(PROJECT_DIR))
from ideapankki.web.collect import TRIM_EVERY_S  # noqa: E402

CACHE_DIR = PROJECT_DIR / "bench" / ".cache"
TARGETS = {"entry": 0.2, "browse": 0.1, "search": 0.05, "api": 0.05}  # page cache off: req/s ÷ hello-world's
CACHE_GAIN = 2.0  # the page cache must at least double the realistic mix's rate to be worth keeping
P99_MS, RSS_MB = 200.0, 250.0
WARM_S = 3.0  # each URL set is driven this long before its measured run
SEARCH_WORDS = ["kunta", "kokeilu", "työllisyys", "koulu", "ikäihmiset", "digitaalinen", "nuoret", "palvelu",
                "kirjasto", "liikenne", "asukkaat", "hyvinvointi", "sote", "ympäristö", "osallisuus"]


# ------------------------------------------------------------------------------------------
# The instance: seed + N generated entries, built once per N


def build_instance(n: int, rebuild: bool, log) -> Path:
    """Return a ready instance folder with the seed and N generated entries (cached by N)."""
    root = CACHE_DIR / f"load-{n}"
    instance = root / "instance"
    if (root / "READY").exists() and not rebuild:
        log(f"using the cached instance {instance}")
        return instance
    shutil.rmtree(root, ignore_errors=True)
    instance.mkdir(parents=True)
    from ideapankki import migrate
    from ideapankki.config import CONTENT_DIR
    from ideapankki.db import create_db_engine

    engine = create_db_engine(f"sqlite:///{instance / 'ideapankki.db'}")
    migrate.init_database(engine)
    seeded = migrate.seed_if_empty(engine, CONTENT_DIR)
    log(f"seed: {seeded} entries")
    if n:
        spec = importlib.util.spec_from_file_location("bench_search", PROJECT_DIR / "bench" / "search.py")
        generator = importlib.util.module_from_spec(spec)
        sys.modules["bench_search"] = generator  # its dataclasses look their module up
        spec.loader.exec_module(generator)
        rng = random.Random(2022)
        started = time.perf_counter()
        vocabulary = generator.build_vocabulary(CONTENT_DIR, rng, compounds_wanted=2000)
        entries = generator.EntryGenerator(vocabulary, rng)
        specs = [entries.make(i) for i in range(n)]
        log(f"generated {n} entries in {time.perf_counter() - started:.0f}s")
        started = time.perf_counter()
        generator.insert_direct(engine, specs)
        log(f"inserted them in {time.perf_counter() - started:.0f}s (bulk INSERTs)")
    engine.dispose()
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ideapankki.cli", "reindex"], check=True, cwd=PROJECT_DIR,
                   env={**os.environ, "IDEAPANKKI_INSTANCE": str(instance)}, stdin=subprocess.DEVNULL)
    log(f"`ideapankki reindex` took {time.perf_counter() - started:.0f}s")
    (root / "READY").write_text(f"{n}\n")
    return instance


def url_sets(instance: Path, rng: random.Random) -> dict[str, list[str]]:
    """Many URLs per page kind, so no single cached answer is measured."""
    import sqlite3
    from urllib.parse import quote

    db = sqlite3.connect(instance / "ideapankki.db")
    try:
        slugs = [row[0] for row in db.execute("SELECT slug FROM entry WHERE state = 'published' "
                                              "ORDER BY random() LIMIT 300")]
        titles = [row[0] for row in db.execute("SELECT title FROM entry WHERE state = 'published' "
                                               "ORDER BY random() LIMIT 200")]
        themes = [row[0] for row in db.execute("SELECT slug FROM theme")]
    finally:
        db.close()
    words = list(SEARCH_WORDS)
    for title in titles:
        title_words = [w for w in re.findall(r"\w+", title.lower()) if len(w) > 4]
        if title_words:
            words.append(" ".join(rng.sample(title_words, min(len(title_words), rng.choice((1, 1, 2))))))
    browse = [f"/entries?page={p}" for p in range(1, 40)]
    browse += [f"/entries?type={t}&page={p}" for t in ("practice", "idea", "norm") for p in range(1, 6)]
    browse += [f"/entries?theme={t}" for t in themes]
    return {
        "entry": [f"/entries/{s}" for s in slugs],
        "browse": browse,
        "search": [f"/search?q={quote(w)}" for w in words],
        "api": [f"/api/v1/search?q={quote(w)}" for w in words],
    }


# ------------------------------------------------------------------------------------------


def hello_app():
    from flask import Flask

    app = Flask("hello")
    app.add_url_rule("/", "hello", lambda: "Hello, world!")
    app.add_url_rule("/healthz", "health", lambda: "ok")  # what LiveServer waits for
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20_000, help="generated entries besides the seed (20000)")
    parser.add_argument("--duration", type=float, default=10, help="seconds per URL set, page cache off (10)")
    parser.add_argument("--mix-duration", type=float, default=120,
                        help="seconds of the realistic mix, with the page cache off and on (120)")
    parser.add_argument("--connections", type=int, default=4, help="concurrent connections (4)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (1)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--python", action="store_true", help="use the Python load generator even if wrk exists")
    parser.add_argument("--rebuild", action="store_true", help="build the cached instance again")
    parser.add_argument("--hello-server", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.hello_server:
        from ideapankki import serving

        serving.run(serving.options(args.workers, "127.0.0.1", args.hello_server), factory=hello_app)
        return
    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {message}", flush=True)

    instance = build_instance(args.entries, args.rebuild, log)
    drive = run_python if args.python or not shutil.which("wrk") else run_wrk
    log(f"load generator: {'wrk' if drive is run_wrk else 'Python threads'}, {args.connections} connections, "
        f"{args.duration:g}s per URL set, {args.mix_duration:g}s of mix, {args.workers} gunicorn workers, "
        f"{os.cpu_count()} CPUs")
    urls = url_sets(instance, random.Random(7))
    realistic = mix.mix(instance, SEARCH_WORDS, random.Random(11))
    with tempfile.TemporaryDirectory(prefix="ideapankki-load-") as tmp:
        tmp = Path(tmp)
        port = free_port()
        hello = LiveServer(tmp, workers=args.workers, port=port, log_path=tmp / "hello.log",
                           command=[sys.executable, __file__, "--hello-server", str(port), "--workers", str(args.workers)])
        with hello:
            drive(hello.base, ["/"], 3, args.connections, args.threads, tmp)
            results = {"hello": drive(hello.base, ["/"], args.duration, args.connections, args.threads, tmp)}
            log(f"hello: {results['hello']['rps']:.0f} req/s")
            # Every page rendered (the page cache off): what a first visit costs; then as configured.
            rendered = run_site(instance, tmp, args, drive, urls, realistic, "0", log)
            cached = run_site(instance, tmp, args, drive, {}, realistic, None, log)
    report(results["hello"], rendered, cached, args, urls, realistic[2])


def run_site(instance: Path, tmp: Path, args, drive, urls: dict, realistic, cache_mb: str | None, log) -> dict:
    """Start the site, warm it up, drive the realistic mix (with its publisher), then each URL set
    of URLS; return the results and the memory afterwards.

    The mix comes first, right after the same warm-up in both runs, so that neither run's
    workers have seen more of the bank (postings, lemmas) than the other's when it starts.
    """
    env = {"IDEAPANKKI_SECRET_KEY": "bench-load"}
    if cache_mb is not None:
        env["IDEAPANKKI_PAGE_CACHE_MB"] = cache_mb
    label = "cache off" if cache_mb == "0" else "cache on"
    site = LiveServer(instance, workers=args.workers, log_path=tmp / f"site-{cache_mb}.log", env=env)
    results = {}
    peaks: dict[int, float] = {}
    stop = threading.Event()

    def sample() -> None:  # the highest resident size each worker reaches while under load
        while not stop.wait(0.25):
            for pid in site.worker_pids():
                mb = memory_mb(pid)
                if mb:
                    peaks[pid] = max(peaks.get(pid, 0.0), mb["rss"])

    paths, weights, _sizes = realistic
    with site:
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        # Every worker opens its index and loads its caches (lemmas, facet tables) before the clock runs.
        for kind in ("/entries/", "/entries?", "/search?", "/api/v1/search?"):
            for path in [p for p in paths if p.startswith(kind)][:2 * args.workers]:
                Browser(site.base, timeout=120).get(path)
        publisher = mix.Publisher(instance, mix.change_interval(args.mix_duration), random.Random(5))
        publisher.start()
        results["mix"] = drive(site.base, paths, args.mix_duration, args.connections, args.threads, tmp, weights)
        publisher.stop()
        results["mix"]["changes"] = publisher.changes
        log(f"{label} realistic mix: {results['mix']['rps']:.0f} req/s, {publisher.changes} changes")
        for name, paths_of_set in urls.items():
            drive(site.base, paths_of_set, WARM_S, args.connections, args.threads, tmp)
            results[name] = drive(site.base, paths_of_set, args.duration, args.connections, args.threads, tmp)
            log(f"{label} {name}: {results[name]['rps']:.0f} req/s")
        stop.set()
        sampler.join()
        # After the load, as a load balancer's health checks find it: a worker tidies up after a
        # request when its last trim is TRIM_EVERY_S old (ideapankki/web/collect.py).
        time.sleep(TRIM_EVERY_S + 0.5)
        drive(site.base, ["/healthz"], 1, args.connections, args.threads, tmp)
        memory = {pid: {**mb, "peak": peaks.get(pid, 0.0)} if (mb := memory_mb(pid)) else None
                  for pid in site.worker_pids()}
        master = {"master": memory_mb(site.master_pid)}
        master.update({"voikko service": memory_mb(pid) for pid in site.service_pids()})
    return {"results": results, "memory": memory, "master": master}


def _row(name: str, count: int, result: dict, hello: float, extra: str = "") -> tuple[str, bool]:
    ratio = result["rps"] / hello if hello else 0.0
    checks = [(f"p99<{P99_MS:.0f}ms", result["p99"] < P99_MS), ("0 errors", result["errors"] == 0)]
    if name in TARGETS:
        checks.insert(0, (f"ratio>={TARGETS[name]}", ratio >= TARGETS[name]))
    verdict = " ".join(f"{label}:{'PASS' if ok else 'FAIL'}" for label, ok in checks)
    return (f"{name:<9} {count:>6} {result['rps']:>8.0f} {result['p50']:>8.1f} {result['p99']:>8.1f} "
            f"{result['errors']:>7} {ratio:>6.3f} {extra} {verdict}"), all(ok for _label, ok in checks)


def report(hello: dict, rendered: dict, cached: dict, args, urls: dict, sizes: dict) -> None:
    rps = hello["rps"]
    header = f"{'page':<9} {'URLs':>6} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'ratio':>6}"
    print(f"\nRead load: seed + {args.entries} entries, {args.workers} workers, {args.connections} connections; "
          f"ratios against the hello-world of the same run ({rps:.0f} req/s, p50 {hello['p50']:.1f} ms)\n")
    print(f"Page cache off (IDEAPANKKI_PAGE_CACHE_MB=0: every page rendered, a first visit), {args.duration:g}s each:")
    print(f"{header}  targets")
    failed = False
    for name in urls:
        line, ok = _row(name, len(urls[name]), rendered["results"][name], rps)
        failed |= not ok
        print(line)
    off, on = rendered["results"]["mix"], cached["results"]["mix"]
    print(f"\nRealistic mix, {args.mix_duration:g}s each: {sum(sizes.values())} URLs drawn Zipf (1/rank) per kind "
          f"({', '.join(f'{k} {n} × {mix.SHARES[k]:.0%}' for k, n in sizes.items())}), "
          f"an entry edited and published every {mix.change_interval(args.mix_duration):g}s:")
    print(f"{header.replace('page     ', 'cache    ')} {'changes':>7}")
    for name, result in (("off", off), ("on", on)):
        line, ok = _row(name, sum(sizes.values()), result, rps, f"{result['changes']:>7}")
        failed |= not ok
        print(line)
    gain = on["rps"] / off["rps"] if off["rps"] else 0.0
    keep = gain >= CACHE_GAIN
    print(f"page cache on the realistic mix: {gain:.2f}× the rendered rate (it earns its place at >= "
          f"{CACHE_GAIN:g}×): {'PASS' if keep else 'FAIL'}")
    print(f"\nMemory after the load and a second of health checks, MB (target: resident <= {RSS_MB:.0f} per "
          f"worker; PSS shares the pages the workers inherited from the master among them, private counts "
          f"only the worker's own; peak: the highest RSS sampled every 0.25 s under load):")
    print(f"{'process':<22} {'RSS':>6} {'PSS':>6} {'private':>8} {'peak':>6}")
    for label, run in (("cache off", rendered), ("cache on", cached)):
        for pid, mb in run["memory"].items():
            ok = mb is not None and mb["rss"] <= RSS_MB
            failed |= not ok
            name = f"{label} worker {pid}"
            print(f"{name:<22} {mb['rss']:>6.0f} {mb['pss']:>6.0f} {mb['private']:>8.0f} {mb['peak']:>6.0f}  "
                  f"RSS:{'PASS' if ok else 'FAIL'}" if mb else f"{name:<22} gone  FAIL")
    for name, mb in cached["master"].items():  # once per server, whatever the number of workers
        if mb:
            print(f"{name:<22} {mb['rss']:>6.0f} {mb['pss']:>6.0f} {mb['private']:>8.0f}")
    print(f"\n{'FAIL' if failed else 'PASS'} overall")


if __name__ == "__main__":
    main()
