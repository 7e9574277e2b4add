"""Read load on the production server: req/s and p50/p99 of the site's pages against a hello-world.

    python bench/load.py [--entries N] [--duration S] [--connections C] [--rebuild]

Builds (once; cached under bench/.cache/load-N/) an instance with the seed content plus N
generated published entries (bench/search.py's generator, bulk inserted, then `ideapankki
reindex`), starts `ideapankki serve --workers 2` on it and a bare Flask hello-world under the
same gunicorn settings (ideapankki.web.serving.server.options), and drives each with wrk on loopback for
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
import http.client
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
from liveserver import PROJECT_DIR, Browser, LiveServer, free_port, memory_mb  # noqa: E402

sys.path.insert(0, str(PROJECT_DIR))
from ideapankki.web.serving.collect import TRIM_EVERY_S  # noqa: E402

CACHE_DIR = PROJECT_DIR / "bench" / ".cache"
TARGETS = {"entry": 0.5, "search": 0.25}  # minimum req/s relative to the hello-world
P99_MS, RSS_MB = 200.0, 250.0
WARM_BURST_S, WARM_MAX_S = 3.0, 60.0
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
# Load generators


LUA = """local paths = {%s}
local i = math.random(#paths)
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(base: str, paths: list[str], duration: float, connections: int, threads: int, workdir: Path) -> dict:
    script = workdir / "paths.lua"
    script.write_text(LUA % ", ".join('"' + p.replace('"', '%22') + '"' for p in paths))
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{int(duration)}s", "--latency",
                          "--timeout", "5s", "-s", str(script), base], capture_output=True, text=True, check=True,
                         stdin=subprocess.DEVNULL).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
              "p50": _ms(re.search(r"\s50%\s+(\S+)", out).group(1)),
              "p99": _ms(re.search(r"\s99%\s+(\S+)", out).group(1)), "errors": 0}
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket_errors:
        result["errors"] += sum(int(x) for x in socket_errors.groups())
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        result["errors"] += int(non_2xx.group(1))
    return result


def run_python(base: str, paths: list[str], duration: float, connections: int, _threads: int, _workdir) -> dict:
    """The fallback without wrk: CONNECTIONS threads, one request at a time each (slower client)."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + duration

    def client(offset: int) -> None:
        browser, i, mine, bad = Browser(base, timeout=5), offset, [], 0
        while time.perf_counter() < deadline:
            i = (i + 1) % len(paths)
            started = time.perf_counter()
            try:
                ok = browser.get(paths[i])[0] < 400
            except (OSError, http.client.HTTPException):
                ok = False
            mine.append((time.perf_counter() - started) * 1000)
            bad += not ok
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    workers = [threading.Thread(target=client, args=(k * 17,)) for k in range(connections)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    latencies.sort()
    pick = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))]  # noqa: E731
    return {"rps": len(latencies) / duration, "p50": pick(0.50), "p99": pick(0.99), "errors": errors[0]}


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
    parser.add_argument("--connections", type=int, default=4, help="concurrent connections (4)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (1)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--python", action="store_true", help="use the Python load generator even if wrk exists")
    parser.add_argument("--rebuild", action="store_true", help="build the cached instance again")
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
    log(f"load generator: {'wrk' if drive is run_wrk else 'Python threads'}, {args.connections} connections, "
        f"{args.duration:g}s per URL set, {args.workers} gunicorn workers, {os.cpu_count()} CPUs")
    urls = url_sets(instance, random.Random(7))
    with tempfile.TemporaryDirectory(prefix="ideapankki-load-") as tmp:
        tmp = Path(tmp)
        port = free_port()
        hello = LiveServer(tmp, workers=args.workers, port=port, log_path=tmp / "hello.log",
                           command=[sys.executable, __file__, "--hello-server", str(port), "--workers", str(args.workers)])
        with hello:
            drive(hello.base, ["/"], 3, args.connections, args.threads, tmp)
            results = {"hello": drive(hello.base, ["/"], args.duration, args.connections, args.threads, tmp)}
            log(f"hello: {results['hello']['rps']:.0f} req/s")
            # Pass 1, every page rendered (the page cache off): what a first visit costs.
            rendered = run_site(instance, tmp, args, drive, urls, "0", warm_until_steady=False, log=log)
            # Pass 2, as served: anonymous pages from each worker's page cache once it holds them.
            cached = run_site(instance, tmp, args, drive, urls, None, warm_until_steady=True, log=log)
        results.update({f"{name}": result for name, result in cached["results"].items()})
        report(results, cached["memory"], cached["master"], args, urls, rendered["results"])


def run_site(instance: Path, tmp: Path, args, drive, urls: dict, cache_mb: str | None, warm_until_steady: bool,
             log) -> dict:
    """Start the site, warm it up, drive each URL set; return the results and the memory afterwards.

    With WARM_UNTIL_STEADY, each set is driven in bursts until the rate settles (each worker
    has its own page cache and must render every URL once), at most WARM_MAX_S a set.
    """
    env = {"IDEAPANKKI_SECRET_KEY": "bench-load"}
    if cache_mb is not None:
        env["IDEAPANKKI_PAGE_CACHE_MB"] = cache_mb
    label = "rendered" if cache_mb == "0" else "cached"
    site = LiveServer(instance, workers=args.workers, log_path=tmp / f"site-{label}.log", env=env)
    results = {}
    peaks: dict[int, float] = {}
    stop = threading.Event()

    def sample() -> None:  # the highest resident size each worker reaches while under load
        while not stop.wait(0.25):
            for pid in site.worker_pids():
                mb = memory_mb(pid)
                if mb:
                    peaks[pid] = max(peaks.get(pid, 0.0), mb["rss"])

    with site:
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        # Every worker opens its index and loads its caches (lemmas, facet tables) before the clock runs.
        for paths in urls.values():
            for path in paths[:2 * args.workers]:
                Browser(site.base, timeout=120).get(path)
        for name, paths in urls.items():
            rates, waited = [], 0.0
            while True:
                rates.append(drive(site.base, paths, WARM_BURST_S, args.connections, args.threads, tmp)["rps"])
                waited += WARM_BURST_S
                settled = len(rates) >= 2 and abs(rates[-1] - rates[-2]) <= 0.15 * max(rates[-2], 1)
                if not warm_until_steady or settled or waited >= WARM_MAX_S:
                    break
            results[name] = drive(site.base, paths, args.duration, args.connections, args.threads, tmp)
            log(f"{label} {name}: {results[name]['rps']:.0f} req/s (after {waited:.0f}s of warm-up)")
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


def report(results: dict, memory: dict, master, args, urls, rendered: dict) -> None:
    hello = results["hello"]["rps"]
    print(f"\nRead load: seed + {args.entries} entries, {args.workers} workers, {args.connections} connections, "
          f"{args.duration:g}s each (ratios against the hello-world of the same run)\n")
    print(f"{'page':<8} {'URLs':>5} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'ratio':>6}  targets")
    failed = False
    for name, result in results.items():
        ratio = result["rps"] / hello if hello else 0.0
        checks = []
        if name != "hello":
            checks.append((f"p99<{P99_MS:.0f}ms", result["p99"] < P99_MS))
            checks.append(("0 errors", result["errors"] == 0))
        if name in TARGETS:
            checks.append((f"ratio>={TARGETS[name]}", ratio >= TARGETS[name]))
        failed |= not all(ok for _label, ok in checks)
        verdict = " ".join(f"{label}:{'PASS' if ok else 'FAIL'}" for label, ok in checks)
        count = len(urls.get(name, ["/"]))
        print(f"{name:<8} {count:>5} {result['rps']:>8.0f} {result['p50']:>8.1f} {result['p99']:>8.1f} "
              f"{result['errors']:>7} {ratio:>6.2f}  {verdict}")
    print("\nThe same pages rendered every time (IDEAPANKKI_PAGE_CACHE_MB=0: a first visit; not a target):")
    for name, result in rendered.items():
        ratio = result["rps"] / hello if hello else 0.0
        print(f"{name:<8} {len(urls[name]):>5} {result['rps']:>8.0f} {result['p50']:>8.1f} {result['p99']:>8.1f} "
              f"{result['errors']:>7} {ratio:>6.2f}")
    print(f"\nMemory after the load and a second of health checks, MB (target: resident <= {RSS_MB:.0f} per "
          f"worker; PSS shares the pages the workers inherited from the master among them, private counts "
          f"only the worker's own; peak: the highest RSS sampled every 0.25 s under load):")
    print(f"{'process':<14} {'RSS':>6} {'PSS':>6} {'private':>8} {'peak':>6}")
    for pid, mb in memory.items():
        ok = mb is not None and mb["rss"] <= RSS_MB
        failed |= not ok
        print(f"worker {pid:<7} {mb['rss']:>6.0f} {mb['pss']:>6.0f} {mb['private']:>8.0f} {mb['peak']:>6.0f}  "
              f"RSS:{'PASS' if ok else 'FAIL'}" if mb else f"worker {pid:<7} gone  FAIL")
    for name, mb in master.items():  # once per server, whatever the number of workers
        if mb:
            print(f"{name:<14} {mb['rss']:>6.0f} {mb['pss']:>6.0f} {mb['private']:>8.0f}")
    print(f"\n{'FAIL' if failed else 'PASS'} overall")


if __name__ == "__main__":
    main()
