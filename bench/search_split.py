"""What the search page costs beyond its search: the page and the API over the same searches, in process.

    IDEAPANKKI_INSTANCE=bench/.cache/load-20000/instance python bench/search_split.py [--passes 3] [--warm 1]

The production app (site_app) on load.py's cached instance, called as WSGI directly (no test client,
no server), over load.py's 215 search URLs as the search page and as the API answer, warm (WARM passes
first), then PASSES measured passes. Each request's process CPU time is split by timers around the
views' shared part (search.search_request: parsing, the search, the cards' rows) and the page's
render_template; what is left is Flask, the hooks and the answer (JSON or the page's response).
Collecting garbage between requests as a serving process does (collect.tidy, timed on its own: `gc`).
Prints per pass the means in µs a request: total, the search, render, the rest; and the page's
cost beyond the API (page − API). Run the old tree's copy with PYTHONPATH on the old tree to compare.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402

CLOCK = time.process_time


def timed(owner, name: str, spent: list[float]):
    """Replace OWNER.NAME with a wrapper adding its CPU time to SPENT[0]."""
    original = getattr(owner, name)

    def wrapper(*args, **kwargs):
        start = CLOCK()
        try:
            return original(*args, **kwargs)
        finally:
            spent[0] += CLOCK() - start

    setattr(owner, name, wrapper)


def environ(path: str) -> dict:
    route, _, query = path.partition("?")
    return {"REQUEST_METHOD": "GET", "PATH_INFO": route, "QUERY_STRING": query, "SERVER_NAME": "localhost",
            "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "localhost",
            "HTTP_ACCEPT_LANGUAGE": "fi", "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr, "wsgi.multithread": False,
            "wsgi.multiprocess": True, "wsgi.run_once": False, "wsgi.version": (1, 0)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--passes", type=int, default=3, help="measured passes over the URLs (3)")
    parser.add_argument("--warm", type=int, default=1, help="passes before measuring (1)")
    args = parser.parse_args()
    os.environ.setdefault("IDEAPANKKI_SECRET_KEY", "bench-load")
    os.environ.setdefault("IDEAPANKKI_PUBLIC_URL", "http://localhost")
    instance = Path(os.environ["IDEAPANKKI_INSTANCE"])
    import ideapankki
    from ideapankki.web.serving import collect
    from ideapankki.web.serving.server import site_app, start_voikko
    from ideapankki.web.views import api, search

    print(f"ideapankki from {Path(ideapankki.__file__).parent}", file=sys.stderr)
    start_voikko()
    app = site_app()
    logging.getLogger("ideapankki.access").setLevel(logging.WARNING)
    urls = load.url_sets(instance, random.Random(7))
    kinds = {"page": urls["search"], "api": urls["api"]}
    found, rendered = [0.0], [0.0]
    timed(search, "search_request", found)
    api.search_request = search.search_request  # the API imported the name: the same timer
    timed(search, "render_template", rendered)
    statuses = {}

    def start_response(status, _headers, _exc=None):
        statuses[status] = statuses.get(status, 0) + 1

    def run(paths: list[str]) -> tuple[float, float, float, float]:
        total, collected, found[0], rendered[0] = 0.0, 0.0, 0.0, 0.0
        for path in paths:
            start = CLOCK()
            body = app(environ(path), start_response)
            for _chunk in body:
                pass
            getattr(body, "close", lambda: None)()
            total += CLOCK() - start
            start = CLOCK()
            collect.tidy()
            collected += CLOCK() - start
        n = len(paths) / 1e6
        return total / n, found[0] / n, rendered[0] / n, collected / n

    for _ in range(args.warm):
        for paths in kinds.values():
            run(paths)
    print(f"{'pass':>4} {'kind':>4} {'total':>8} {'search':>8} {'render':>8} {'rest':>8} {'gc':>8}   (µs a request)")
    beyond = []
    for number in range(1, args.passes + 1):
        means = {}
        for kind, paths in kinds.items():
            total, search_us, render_us, gc_us = means[kind] = run(paths)
            print(f"{number:>4} {kind:>4} {total:8.0f} {search_us:8.0f} {render_us:8.0f} "
                  f"{total - search_us - render_us:8.0f} {gc_us:8.0f}")
        beyond.append(means["page"][0] - means["api"][0])
        print(f"{number:>4} page − api {beyond[-1]:8.0f}; page beyond its search "
              f"{means['page'][0] - means['page'][1]:.0f}, api beyond its search {means['api'][0] - means['api'][1]:.0f}")
    print(f"median page − api: {statistics.median(beyond):.0f} µs; statuses {statuses}")


if __name__ == "__main__":
    main()
