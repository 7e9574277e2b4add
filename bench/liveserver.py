"""A real server for benchmarks and the crash test: `ideapankki serve --workers N` on a free loopback
port, its processes (master, workers, resident memory), and a browser-like HTTP client.

Standard library only (http.client, /proc), so the bench scripts need nothing beyond the project.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

PROJECT_DIR = Path(__file__).resolve().parent.parent
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


SERVICE_NAME = "voikko-service"  # the master's other child (ideapankki.search.voikko.PROCESS_NAME)


def children(pid: int, service: bool = False) -> list[int]:
    """Process ids whose parent is PID: the gunicorn workers of a master, or (SERVICE) its
    Voikko service, told apart by the name the service gives itself."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            name, rest = stat.split(" (", 1)[1].rsplit(") ", 1)
            if int(rest.split()[1]) == pid and (name == SERVICE_NAME) == service:
                found.append(int(entry.name))
    return sorted(found)


def memory_mb(pid: int) -> dict[str, float] | None:
    """RSS, PSS (shared pages divided among their sharers) and private memory of PID in MB.

    Workers forked from the master share what it loaded before the fork (the app's modules, the
    lemma cache): RSS counts it in full in every worker, PSS divides it, private leaves it out.
    """
    try:
        fields = {line.split(":")[0]: int(line.split()[1]) / 1024
                  for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]}
    except (OSError, ValueError, IndexError):
        return None
    return {"rss": fields.get("Rss", 0.0), "pss": fields.get("Pss", 0.0),
            "private": fields.get("Private_Clean", 0.0) + fields.get("Private_Dirty", 0.0)}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time PID has used so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


class LiveServer:
    """`ideapankki serve --workers N` (or any command) as a child process with its output in a file
    (standard error in ERRORS_PATH when given)."""

    def __init__(self, instance: Path, *, workers: int = 2, port: int | None = None, env: dict | None = None,
                 log_path: Path | None = None, errors_path: Path | None = None, command: list[str] | None = None):
        self.instance, self.workers = Path(instance), workers
        self.port = port or free_port()
        self.log_path = log_path or self.instance / f"serve-{self.port}.log"
        self.errors_path = errors_path  # standard error on its own; by default it joins log_path
        self.env = {**os.environ, "IDEAPANKKI_INSTANCE": str(self.instance),
                    "IDEAPANKKI_SECRET_KEY": os.environ.get("IDEAPANKKI_SECRET_KEY", "live-server-secret"),
                    "IDEAPANKKI_PUBLIC_URL": f"http://127.0.0.1:{self.port}",
                    **(env or {})}
        self.command = command or [sys.executable, "-m", "ideapankki.cli", "serve", "--workers", str(workers),
                                   "--port", str(self.port)]
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 180) -> LiveServer:
        """Start the server and wait until every worker answers /healthz."""
        self.instance.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log, open(self.errors_path or os.devnull, "ab") as errors:
            self.process = subprocess.Popen(self.command, env=self.env, stdout=log,
                                            stderr=errors if self.errors_path else subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, cwd=PROJECT_DIR)
        try:
            self.wait_ready(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}; see {self.log_path}")
            if len(self.worker_pids()) >= self.workers:
                try:  # under load the check waits its turn behind the clients' requests
                    wait = max(1.0, min(60.0, deadline - time.monotonic()))
                    if Browser(self.base, timeout=wait).get("/healthz")[0] == 200:
                        return
                except (OSError, http.client.HTTPException):
                    pass
            time.sleep(0.2)
        raise TimeoutError(f"the server did not answer within {timeout}s; see {self.log_path}")

    @property
    def master_pid(self) -> int:
        return self.process.pid

    def worker_pids(self) -> list[int]:
        return children(self.process.pid) if self.process else []

    def service_pids(self) -> list[int]:
        """The Voikko service the master started for its workers (ideapankki.search.voikko)."""
        return children(self.process.pid, service=True) if self.process else []

    def kill_master(self) -> list[int]:
        """kill -9 the master; return its workers (orphans, which exit when they notice)."""
        workers = self.worker_pids()
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()
        return workers

    def stop(self, timeout: float = 30) -> None:
        """Stop gracefully (SIGTERM), then kill what is left."""
        if self.process is None:
            return
        workers = self.worker_pids() + self.service_pids()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        self.process = None

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class Browser:
    """Cookies, CSRF tokens and no automatic redirects: what a person's browser does, one request at a time."""

    def __init__(self, base: str, timeout: float = 30):
        parts = urlsplit(base)
        self.host, self.port, self.timeout = parts.hostname, parts.port, timeout
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None) -> tuple[int, dict, str]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            sent = {"Connection": "close", **(headers or {})}
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or ():
                for name, morsel in SimpleCookie(header).items():
                    if morsel.value and "1970" not in morsel["expires"]:
                        self.cookies[name] = morsel.value
                    else:
                        self.cookies.pop(name, None)
            return response.status, dict(response.headers), text
        finally:
            connection.close()

    def get(self, path: str) -> tuple[int, dict, str]:
        return self.request("GET", path)

    def post(self, path: str, data: dict | list) -> tuple[int, dict, str]:
        return self.request("POST", path, urlencode(data, doseq=True).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded"})

    def token(self, path: str) -> str:
        status, _headers, text = self.get(path)
        found = CSRF.search(text)
        if status != 200 or not found:
            raise RuntimeError(f"no form at {path} (HTTP {status})")
        return found.group(1)

    def post_form(self, path: str, data: dict, form_path: str | None = None) -> tuple[int, dict, str]:
        """GET FORM_PATH (default PATH) for its CSRF token, then POST DATA to PATH."""
        return self.post(path, {**data, "csrf_token": self.token(form_path or path)})

    def log_in(self, email: str, password: str) -> None:
        status, headers, _text = self.post_form("/login", {"email": email, "password": password})
        if status != 302:
            raise RuntimeError(f"log-in of {email} failed (HTTP {status})")


def redirect_path(headers: dict) -> str:
    return urlsplit(headers.get("Location", "")).path
