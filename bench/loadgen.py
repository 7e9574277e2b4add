"""Load generators for bench/load.py: wrk with a Lua script, or Python threads without wrk.

Either cycles through a list of paths (each URL in turn, so no single answer is measured), or,
given WEIGHTS, draws every request at random with those weights (the realistic mix's Zipf
long tail: a few popular pages and thousands requested once or never).
"""

from __future__ import annotations

import bisect
import os
import http.client
import random
import re
import subprocess
import threading
import time
from itertools import accumulate
from pathlib import Path

from liveserver import Browser, LiveServer

CYCLE = """local paths = {%s}
local i = math.random(#paths)
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""

# Draw a path by its cumulative weight (binary search): the long tail without a Lua table of
# millions of repeated paths.
WEIGHTED = """local paths = {%s}
local cdf = {%s}
init = function(args) math.randomseed(os.time() + math.floor(os.clock() * 1e6)) end
request = function()
  local u, lo, hi = math.random() * cdf[#cdf], 1, #cdf
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cdf[mid] < u then lo = mid + 1 else hi = mid end
  end
  return wrk.format("GET", paths[lo])
end
"""


def _lua_strings(paths: list[str]) -> str:
    return ", ".join('"' + p.replace("\\", "%5C").replace('"', "%22") + '"' for p in paths)


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(base: str, paths: list[str], duration: float, connections: int, threads: int, workdir: Path,
            weights: list[float] | None = None) -> dict:
    script = workdir / "paths.lua"
    if weights is None:
        script.write_text(CYCLE % _lua_strings(paths))
    else:
        script.write_text(WEIGHTED % (_lua_strings(paths), ", ".join(f"{c:.9g}" for c in accumulate(weights))))
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(duration))}s", "--latency",
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


def run_python(base: str, paths: list[str], duration: float, connections: int, _threads: int, _workdir,
               weights: list[float] | None = None, revalidate: bool = False) -> dict:
    """The fallback without wrk: CONNECTIONS threads, one request at a time each (slower client).

    With REVALIDATE the threads share what a caching proxy or browser keeps: the last ETag of
    each path, sent as If-None-Match (a 304 is an answer like a 200; "revalidated" counts them).
    """
    etags: dict[str, str] = {}
    revalidated = [0]
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + duration
    cdf = list(accumulate(weights)) if weights is not None else None

    def client(offset: int) -> None:
        browser, i, mine, bad, mine_304 = Browser(base, timeout=5), offset, [], 0, 0
        draw = random.Random(offset)
        while time.perf_counter() < deadline:
            if cdf is None:
                i = (i + 1) % len(paths)
            else:
                i = min(len(paths) - 1, bisect.bisect_left(cdf, draw.random() * cdf[-1]))
            started = time.perf_counter()
            path = paths[i]
            try:
                sent = {"If-None-Match": etags[path]} if revalidate and path in etags else None
                status, headers, _text = browser.request("GET", path, headers=sent)
                ok = status < 400
                if revalidate and status == 200 and "ETag" in headers:
                    etags[path] = headers["ETag"]
                mine_304 += status == 304
            except (OSError, http.client.HTTPException):
                ok = False
            mine.append((time.perf_counter() - started) * 1000)
            bad += not ok
        with lock:
            latencies.extend(mine)
            errors[0] += bad
            revalidated[0] += mine_304

    workers = [threading.Thread(target=client, args=(k * 17,)) for k in range(connections)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    latencies.sort()
    pick = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))]  # noqa: E731
    return {"rps": len(latencies) / duration, "p50": pick(0.50), "p99": pick(0.99), "errors": errors[0],
            "revalidated": revalidated[0]}


def cpu_seconds(server: LiveServer) -> float:
    """CPU time used so far by SERVER's master, workers and Voikko service (user + system)."""
    total = 0
    for pid in (server.master_pid, *server.worker_pids(), *server.service_pids()):
        try:
            total += sum(int(x) for x in Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].split()[11:13])
        except (OSError, ValueError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def measured(server: LiveServer, drive, *args) -> dict:
    """DRIVE(*ARGS) with the server's CPU time per request ("cpu_ms"): on a shared machine the rate
    depends on what else runs, the CPU a request costs much less."""
    before = cpu_seconds(server)
    result = drive(*args)
    requests = result["rps"] * args[2]
    result["cpu_ms"] = (cpu_seconds(server) - before) * 1000 / requests if requests else float("inf")
    return result
