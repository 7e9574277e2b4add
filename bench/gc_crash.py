"""Does a web process survive rendering many listing pages? Python's automatic GC against
collection between requests (ideapankki/web/serving/collect.py), each in a fresh process.

    python bench/gc_crash.py [--entries N] [--rounds R]

Uses load.py's cached instance (seed + N generated entries, 20000 by default; built on first
use), renders every page (the site keeps none), and requests browse pages filtered
by type, pages 1–39, R rounds (3). CPython 3.11 crashed here within about 60 requests with the
automatic collector (SIGSEGV, or SIGABRT "free(): invalid pointer"); see ideapankki/web/serving/collect.py.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import build_instance  # noqa: E402

CHILD = r"""
import os, sys
from ideapankki import create_app
from ideapankki.web.serving import collect
app = create_app({"DEMO": False})
if sys.argv[1] == "between":
    collect.between_requests(app)
client = app.test_client()
served = 0
for _ in range(int(sys.argv[2])):
    for page in range(1, 40):
        for kind in ("practice", "idea", "norm"):
            assert client.get(f"/entries?type={kind}&page={page}").status_code == 200
            served += 1
            print(served, flush=True)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    instance = build_instance(args.entries, False, print)
    env = {**os.environ, "IDEAPANKKI_INSTANCE": str(instance), "IDEAPANKKI_SECRET_KEY": "bench-gc",
           "IDEAPANKKI_PUBLIC_URL": "http://localhost"}
    wanted = args.rounds * 39 * 3
    print(f"\n{'collection':<22} {'pages served':>12} {'of':>5}  outcome")
    for mode in ("automatic", "between"):
        run = subprocess.run([sys.executable, "-c", CHILD, mode, str(args.rounds)], env=env,
                             capture_output=True, text=True)
        lines = run.stdout.split()
        served = int(lines[-1]) if lines else 0
        if run.returncode < 0:
            outcome = f"killed by {signal.Signals(-run.returncode).name}"
        else:
            outcome = "ok" if run.returncode == 0 else f"exit {run.returncode}"
        label = "automatic (Python's)" if mode == "automatic" else "between requests"
        print(f"{label:<22} {served:>12} {wanted:>5}  {outcome}")


if __name__ == "__main__":
    main()
