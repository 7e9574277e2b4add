"""Read load on the production server: first visits and a realistic mix against a hello-world.

    python bench/load.py [--entries N] [--duration S] [--mix-duration S] [--connections C] [--rebuild]
    python bench/load.py --pages entry,browse   # while working on a page: those rows only, no mix

Builds (once; cached under bench/.cache/load-N/) an instance with the seed content plus N
generated published entries (bench/search.py's generator, bulk inserted, then `ideapankki
reindex`), starts `ideapankki serve --workers 2` on it and a bare Flask hello-world under the
same gunicorn settings (ideapankki.web.serving.server.options). The site keeps no rendered pages, so
every request is a first visit. It drives the realistic mix (mix.py: a Zipf long tail over every
URL, an entry edited every minute) twice, plainly and with clients revalidating ETags, then
each page kind (entry, browse, search page, search API) cycling through hundreds of URLs with
wrk (Python threads without it). Each measurement is compared with the hello-world driven just
before it, by req/s and by the server's CPU per request (the shared machine's load moves the
first, hardly the second). Prints req/s, p50, p99, errors, both ratios, PASS/FAIL per target,
and the resident memory of each worker: the highest sampled under load, and after it.
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
from loadgen import measured, run_python, run_wrk  # noqa: E402

sys.path.insert(0, str(PROJECT_DIR))
from ideapankki.web.serving.collect import TRIM_EVERY_S  # noqa: E402

CACHE_DIR = PROJECT_DIR / "bench" / ".cache"
TARGETS = {"entry": 0.2, "browse": 0.1, "search": 0.05, "api": 0.05}  # first visits: ÷ the hello-world
P99_MS, RSS_MB = 200.0, 250.0
WARM_S = 3.0  # each URL set is driven this long before its measured run
HELLO_S = 4.0  # the hello-world, driven just before each measurement
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
        _reindex_if_outdated(instance, log)
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


def _reindex_if_outdated(instance: Path, log) -> None:
    """Rebuild the cached instance's index when this version's would rebuild it anyway (an older
    analysis or layout): the server would do it on start, within LiveServer's start-up timeout."""
    from ideapankki.search.analysis import voikko_available
    from ideapankki.search.store import IndexStore

    if IndexStore(instance / "search", "voikko" if voikko_available() else "snowball").is_current():
        return
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ideapankki.cli", "reindex"], check=True, cwd=PROJECT_DIR,
                   env={**os.environ, "IDEAPANKKI_INSTANCE": str(instance)}, stdin=subprocess.DEVNULL)
    log(f"the cached index was of an older analysis or layout: `ideapankki reindex` took "
        f"{time.perf_counter() - started:.0f}s")


# Entry pages a first-visit row cycles through: enough that each worker meets most of them once
# in a 10 s row, so nothing kept per URL (the URL memo, SQLite's and the OS's page caches) is
# what the row measures. 300 gave the same CPU per page in process (1.32-1.66 ms against 1.45-1.69
# for 3,000 distinct entries), but a first visit should not have to be argued for.
ENTRY_URLS = 3000


def url_sets(instance: Path, rng: random.Random) -> dict[str, list[str]]:
    """Many URLs per page kind, so no single cached answer is measured."""
    import sqlite3
    from urllib.parse import quote

    db = sqlite3.connect(instance / "ideapankki.db")
    try:
        # Drawn by RNG (seeded), not SQL random(): every run measures the same URLs.
        published = db.execute("SELECT slug, title FROM entry WHERE state = 'published' ORDER BY id").fetchall()
        slugs = [slug for slug, _title in rng.sample(published, min(ENTRY_URLS, len(published)))]
        titles = [title for _slug, title in rng.sample(published, min(200, len(published)))]
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
    parser.add_argument("--duration", type=float, default=10, help="seconds per URL set (10)")
    parser.add_argument("--mix-duration", type=float, default=120,
                        help="seconds of the realistic mix, without and with revalidation (120 each)")
    parser.add_argument("--connections", type=int, default=4, help="concurrent connections (4)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (1)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--python", action="store_true", help="use the Python load generator even if wrk exists")
    parser.add_argument("--rebuild", action="store_true", help="build the cached instance again")
    parser.add_argument("--pages", type=_page_kinds, default=None, metavar="KINDS",
                        help=f"only these first-visit rows ({','.join(TARGETS)}), without the mixes: a quick "
                             "check while working on a page, not a verdict")
    parser.add_argument("--hello-server", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.hello_server:
        from ideapankki.web.serving import server as serving

        serving.run(serving.options(args.workers, "127.0.0.1", args.hello_server), factory=hello_app)
        return
    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {message}", flush=True)

    instance = build_instance(args.entries, args.rebuild, log)
    drive = run_python if args.python or not shutil.which("wrk") else run_wrk
    log(f"load generator: {'wrk' if drive is run_wrk else 'Python threads'} ({args.connections} connections, "
        f"{args.duration:g}s per URL set), Python threads for {args.mix_duration:g}s of each mix, "
        f"{args.workers} gunicorn workers, {os.cpu_count()} CPUs")
    urls = url_sets(instance, random.Random(7))
    if args.pages:
        urls = {name: paths for name, paths in urls.items() if name in args.pages}
    realistic = mix.mix(instance, SEARCH_WORDS, random.Random(11))
    with tempfile.TemporaryDirectory(prefix="ideapankki-load-") as tmp:
        tmp = Path(tmp)
        port = free_port()
        hello = LiveServer(tmp, workers=args.workers, port=port, log_path=tmp / "hello.log",
                           command=[sys.executable, __file__, "--hello-server", str(port), "--workers", str(args.workers)])
        with hello:
            drive(hello.base, ["/"], 3, args.connections, args.threads, tmp)

            def baseline() -> dict:
                """The hello-world just before a measurement: the machine's speed at that moment."""
                return measured(hello, drive, hello.base, ["/"], HELLO_S, args.connections, args.threads, tmp)

            site = run_site(instance, tmp, args, drive, urls, realistic, baseline, log)
    report(site, args, urls, realistic[2])


def run_site(instance: Path, tmp: Path, args, drive, urls: dict, realistic, baseline, log) -> dict:
    """Start the site, warm it up, drive the realistic mix twice (its publisher editing), then each
    URL set; return the results and the memory afterwards."""
    site = LiveServer(instance, workers=args.workers, log_path=tmp / "site.log",
                      env={"IDEAPANKKI_SECRET_KEY": "bench-load"})
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
        # Both mixes with the same client (Python threads): every request rendered, then with the
        # clients keeping ETags as a browser or nginx's proxy_cache_revalidate does.
        for name, revalidate in (() if args.pages else (("plain", False), ("revalidating", True))):
            hello = baseline()
            publisher = mix.Publisher(instance, mix.change_interval(args.mix_duration), random.Random(5))
            publisher.start()
            results[name] = measured(site, run_python, site.base, paths, args.mix_duration, args.connections,
                                     args.threads, tmp, weights, revalidate)
            publisher.stop()
            results[name].update(changes=publisher.changes, hello=hello)
            log(f"mix {name}: {results[name]['rps']:.0f} req/s, {results[name]['revalidated']} answered 304, "
                f"{publisher.changes} changes; hello {hello['rps']:.0f}")
        for name, paths_of_set in urls.items():
            drive(site.base, paths_of_set, WARM_S, args.connections, args.threads, tmp)
            hello = baseline()
            results[name] = measured(site, drive, site.base, paths_of_set, args.duration, args.connections,
                                     args.threads, tmp)
            results[name]["hello"] = hello
            log(f"{name}: {results[name]['rps']:.0f} req/s; hello {hello['rps']:.0f}")
        stop.set()
        sampler.join()
        # After the load, as a load balancer's health checks find it: a worker tidies up after a
        # request when its last trim is TRIM_EVERY_S old (ideapankki/web/serving/collect.py).
        time.sleep(TRIM_EVERY_S + 0.5)
        drive(site.base, ["/healthz"], 1, args.connections, args.threads, tmp)
        memory = {pid: {**mb, "peak": peaks.get(pid, 0.0)} if (mb := memory_mb(pid)) else None
                  for pid in site.worker_pids()}
        master = {"master": memory_mb(site.master_pid)}
        master.update({"voikko service": memory_mb(pid) for pid in site.service_pids()})
    return {"results": results, "memory": memory, "master": master}


def ratios(result: dict) -> tuple[float, float]:
    """(req/s ÷ the hello-world's, the hello-world's CPU per request ÷ this one's)."""
    hello = result["hello"]
    return (result["rps"] / hello["rps"] if hello["rps"] else 0.0,
            hello["cpu_ms"] / result["cpu_ms"] if result["cpu_ms"] else 0.0)


def _row(name: str, count: int, result: dict, extra: str = "") -> tuple[str, bool]:
    hello = result["hello"]
    ratio, cpu_ratio = ratios(result)
    checks = [(f"p99<{P99_MS:.0f}ms", result["p99"] < P99_MS), ("0 errors", result["errors"] == 0)]
    if name in TARGETS:
        checks[:0] = [(f"ratio>={TARGETS[name]}", ratio >= TARGETS[name]),
                      (f"cpu>={TARGETS[name]}", cpu_ratio >= TARGETS[name])]
    verdict = " ".join(f"{label}:{'PASS' if ok else 'FAIL'}" for label, ok in checks)
    return (f"{name:<12} {count:>6} {result['rps']:>7.0f} {result['p50']:>7.1f} {result['p99']:>7.1f} "
            f"{result['errors']:>6} {hello['rps']:>6.0f} {ratio:>6.3f} {result['cpu_ms']:>6.2f} {hello['cpu_ms']:>6.2f} "
            f"{cpu_ratio:>6.3f} {extra} {verdict}"), all(ok for _label, ok in checks)


def report(site: dict, args, urls: dict, sizes: dict) -> None:
    results = site["results"]
    header = (f"{'page':<12} {'URLs':>6} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} {'hello':>6} "
              f"{'ratio':>6} {'cpu ms':>6} {'hello':>6} {'cpu':>6}")
    print(f"\nRead load: seed + {args.entries} entries, {args.workers} workers, {args.connections} connections; "
          f"each against the hello-world measured just before it ({HELLO_S:g}s, same gunicorn): ratio = req/s ÷ "
          f"its req/s; cpu ms = the server's CPU per request (master, workers, Voikko service), cpu = its cpu ms ÷ "
          f"this one's, what the ratio would be on an idle machine\n")
    print(f"First visits (the site keeps no pages: every request rendered), {args.duration:g}s each:")
    print(f"{header}  targets")
    failed = False
    for name in urls:
        line, ok = _row(name, len(urls[name]), results[name])
        failed |= not ok
        print(line)
    if not args.pages:
        failed |= _report_mix(results, args, sizes, header)
    failed |= _report_memory(site)
    print("\nOnly the rows asked for (--pages), no realistic mix: no overall verdict." if args.pages else
          f"\n{'FAIL' if failed else 'PASS'} overall")


def _page_kinds(text: str) -> list[str]:
    kinds = [kind.strip() for kind in text.split(",") if kind.strip()]
    unknown = [kind for kind in kinds if kind not in TARGETS]
    if not kinds or unknown:
        raise argparse.ArgumentTypeError(f"page kinds are {', '.join(TARGETS)}; not {', '.join(unknown) or text!r}")
    return kinds


def _report_mix(results: dict, args, sizes: dict, header: str) -> bool:
    """Print the realistic mix's rows; say if any failed."""
    failed = False
    plain, revalidating = results["plain"], results["revalidating"]
    print(f"\nRealistic mix, {args.mix_duration:g}s each (Python client): {sum(sizes.values())} URLs drawn Zipf "
          f"(1/rank) per kind ({', '.join(f'{k} {n} × {mix.SHARES[k]:.0%}' for k, n in sizes.items())}), an entry "
          f"edited and published every {mix.change_interval(args.mix_duration):g}s; without an HTTP cache, and with "
          f"clients keeping ETags (If-None-Match; a 304 costs no rendering):")
    print(f"{header.replace('page        ', 'mix         ')} {'changes':>7} {'304s':>6}")
    for name, result in (("plain", plain), ("revalidating", revalidating)):
        line, ok = _row(name, sum(sizes.values()), result, f"{result['changes']:>7} {result['revalidated']:>6}")
        failed |= not ok
        print(line)
    gain, cpu_gain = (a / b if b else 0.0 for a, b in zip(ratios(revalidating), ratios(plain)))
    print(f"revalidation on the realistic mix: {gain:.2f}× the ratio, {cpu_gain:.2f}× the cpu ratio of rendering "
          f"every request (the page cache it replaced gave 1.45× and 1.52×: bench/README.md)")
    return failed


def _report_memory(site: dict) -> bool:
    """Print each worker's memory after the load; say if any is over RSS_MB or gone."""
    failed = False
    print(f"\nMemory after the load and a second of health checks, MB (target: resident <= {RSS_MB:.0f} per "
          f"worker; PSS shares the pages the workers inherited from the master among them, private counts "
          f"only the worker's own; peak: the highest RSS sampled every 0.25 s under load):")
    print(f"{'process':<14} {'RSS':>6} {'PSS':>6} {'private':>8} {'peak':>6}")
    for pid, mb in site["memory"].items():
        ok = mb is not None and mb["rss"] <= RSS_MB
        failed |= not ok
        print(f"worker {pid:<7} {mb['rss']:>6.0f} {mb['pss']:>6.0f} {mb['private']:>8.0f} {mb['peak']:>6.0f}  "
              f"RSS:{'PASS' if ok else 'FAIL'}" if mb else f"worker {pid:<7} gone  FAIL")
    for name, mb in site["master"].items():  # once per server, whatever the number of workers
        if mb:
            print(f"{name:<14} {mb['rss']:>6.0f} {mb['pss']:>6.0f} {mb['private']:>8.0f}")
    return failed


if __name__ == "__main__":
    main()
