"""Where a page's CPU goes in the production server: one gunicorn worker under cProfile, driven by load.py's URLs.

    python bench/worker_profile.py --pages entry [--entries 20000] [--duration 15] [--skip 400] [--out FILE]

py-spy is not at hand and an in-process profile leaves out gunicorn, the request hooks' real order and
the access line's real stream. This starts the site as `ideapankki serve --workers 1` does (the
Voikko service, the master's preparation and sharing, the same gunicorn settings) with cProfile
switched on in the worker at its SKIP-th request (the first requests open the index and compile the
templates) and written to OUT when the worker exits; it drives load.py's URL set of the page kind
(wrk, else Python threads) for DURATION seconds and prints the functions by cumulative and own time.
The profile counts process CPU time, not wall time: a busy machine's waits are not in it. cProfile
makes every call dearer, so many small calls look larger than they are: check a part's real cost
without it (bench/README.md, "Branch entryfast4"). Open OUT with `python -m pstats OUT`.
"""

from __future__ import annotations

import argparse
import pstats
import random
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402
from liveserver import LiveServer, free_port  # noqa: E402
from loadgen import run_python, run_wrk  # noqa: E402


def serve(port: int, skip: int, out: Path) -> None:
    """In the server process: what `ideapankki serve --workers 1` does, with the profiler's hooks."""
    import cProfile
    import time

    import click

    from ideapankki import config
    from ideapankki.cli import _prepare
    from ideapankki.web.serving import server as serving

    serving.start_voikko()
    with click.Context(click.Command("serve")):  # _prepare's engine closes with the command's context
        _prepare()
    serving.share_with_workers(config.instance_dir() / "search", config.storage()["DATABASE_URL"])
    profile, seen = cProfile.Profile(time.process_time), [0]

    def pre_request(_worker, _request) -> None:
        seen[0] += 1
        if seen[0] == skip:
            profile.enable()

    def worker_exit(_server, _worker) -> None:
        profile.disable()
        profile.dump_stats(out)

    serving.run(serving.options(1, "127.0.0.1", port, pre_request=pre_request, worker_exit=worker_exit))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", choices=sorted(load.TARGETS), default="entry", help="the URL set (entry)")
    parser.add_argument("--entries", type=int, default=20_000, help="load.py's cached instance of this size (20000)")
    parser.add_argument("--duration", type=float, default=15, help="seconds of load (15)")
    parser.add_argument("--skip", type=int, default=400, help="requests before the profiler starts (400)")
    parser.add_argument("--connections", type=int, default=2, help="concurrent connections (2)")
    parser.add_argument("--out", type=Path, default=Path("worker.prof"), help="the profile (worker.prof)")
    parser.add_argument("--top", type=int, default=40, help="functions printed per order (40)")
    parser.add_argument("--serve", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.skip, args.out)
        return
    instance = load.build_instance(args.entries, False, print)
    paths = load.url_sets(instance, random.Random(7))[args.pages]
    out = args.out.resolve()
    out.unlink(missing_ok=True)
    port = free_port()
    drive = run_wrk if shutil.which("wrk") else run_python
    with tempfile.TemporaryDirectory(prefix="ideapankki-profile-") as tmp:
        server = LiveServer(instance, workers=1, port=port, log_path=Path(tmp) / "site.log",
                            env={"IDEAPANKKI_SECRET_KEY": "bench-profile"},
                            command=[sys.executable, __file__, "--serve", str(port), "--skip", str(args.skip),
                                     "--out", str(out)])
        with server:
            result = drive(server.base, paths, args.duration, args.connections, 1, Path(tmp))
        print(f"{args.pages}: {result['rps']:.0f} req/s over {args.duration:g}s, profiled from request {args.skip}")
    if not out.exists():
        sys.exit(f"no profile written: fewer than {args.skip} requests? (see --skip)")
    stats = pstats.Stats(str(out))
    stats.strip_dirs()
    for order in ("cumulative", "tottime"):
        stats.sort_stats(order).print_stats(args.top)
    print(f"profile: {out}")


if __name__ == "__main__":
    main()
