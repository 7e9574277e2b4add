"""Voikko, the Finnish morphology, behind one module: loaded here, or asked of a service process.

pyvoikko's transducer takes about 200 MB once loaded (kfst-rs expands the 1 MB file into its
own structures) and 0.6 s to load. A web worker needs it only for words missing from the
lemma cache (lemmas.py): a reader's inflection that no indexed text used, or the new words of
an entry published a moment ago. So `ideapankki serve --workers N` keeps one copy in a small
service process beside gunicorn (start_service, in the master before the workers fork) and
the workers ask it over a Unix socket (use_service); they hold no transducer at all. Everything
else (the CLI, tests, the development server, the forked processes of a rebuild) loads it in
its own process on first use (use_local).

Should the service fail (killed, hung), a worker loads Voikko itself and says so in the log:
200 MB more for that worker, never a different analysis, and never a failed request.

The socket is in Linux's abstract namespace (no file to leave behind or to fit in 108 bytes);
the service answers only processes of its own user (SO_PEERCRED), who could read its memory
anyway. Messages are a 4-byte length and JSON: a list of words; for each, its analyses.
"""

from __future__ import annotations

import atexit
import ctypes
import importlib.util
import json
import logging
import os
import secrets
import signal
import socket
import struct
import threading
from dataclasses import dataclass
from functools import lru_cache

log = logging.getLogger(__name__)

# One analysis: the base form, and the base forms of its compound parts (None: not a compound).
Analysis = tuple[str, "tuple[str, ...] | None"]

TIMEOUT_S = 10.0  # a service that takes longer to answer is given up for this process
MAX_MESSAGE = 4 * 1024 * 1024
MAX_WORDS = 10_000
BATCH = 200  # words per message of analyse_many
MAX_WORD = 256  # longer "words" are not Finnish words: not analysed (the tokenizer lets anything through)
_LENGTH = struct.Struct("!I")
_PR_SET_PDEATHSIG = 1
_PR_SET_NAME = 15
PROCESS_NAME = "voikko-service"  # /proc/PID/comm of the service (at most 15 bytes)

_module = None
_module_lock = threading.Lock()
_client: "_Client | None" = None


@lru_cache(maxsize=1)
def available() -> bool:
    """Tell whether pyvoikko is installed (without loading its transducer)."""
    return importlib.util.find_spec("pyvoikko") is not None


def analyse(word: str) -> list[Analysis]:
    """The analyses of one lower-case WORD (empty when Voikko does not know it)."""
    global _client
    if len(word) > MAX_WORD:
        return []
    client = _client
    if client is not None:
        try:
            return client.analyse([word])[0]
        except (OSError, ValueError) as exc:
            log.warning("the Voikko service failed (%s); this process loads Voikko itself", exc)
            _client = None
    return _analyse_here(word)


def analyse_many(words: list[str]) -> list[list[Analysis]]:
    """The analyses of many lower-case WORDS: one message to the service per BATCH words, not one a
    word (a batch is answered well within TIMEOUT_S, even on a loaded machine)."""
    global _client
    client = _client
    if client is not None:
        try:
            answers: list[list[Analysis]] = []
            for begin in range(0, len(words), BATCH):
                chunk = words[begin:begin + BATCH]
                asked = [w if len(w) <= MAX_WORD else "" for w in chunk]
                answers += [found if word else [] for word, found in zip(asked, client.analyse(asked))]
            return answers
        except (OSError, ValueError) as exc:
            log.warning("the Voikko service failed (%s); this process loads Voikko itself", exc)
            _client = None
    return [_analyse_here(w) if len(w) <= MAX_WORD else [] for w in words]


def use_local() -> None:
    """Analyse in this process from now on (a forked rebuild process: parallel, short-lived)."""
    global _client
    if _client is not None:
        _client.close()
    _client = None


def use_service(address: str) -> None:
    """Ask the service at ADDRESS from now on (set in the master; its forked workers inherit it)."""
    global _client
    _client = _Client(address)


def _load():
    global _module
    if _module is None:
        with _module_lock:
            if _module is None:
                import pyvoikko

                _module = pyvoikko
    return _module


def _analyse_here(word: str) -> list[Analysis]:
    return [(a.BASEFORM, tuple(p.BASEFORM for p in a.COMPOUND_PARTS) if a.COMPOUND_PARTS else None)
            for a in _load().analyse(word)]


# --- the service ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Service:
    address: str
    pid: int

    def stop(self) -> None:
        """End the service process and wait for it (a no-op when it is gone already)."""
        try:
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):  # gone already, or reaped by gunicorn
            pass


def start_service() -> Service:
    """Fork the service process (it loads Voikko); call in the master, then use_service.

    The socket is bound here, before the fork, so a worker that asks before the service has
    loaded Voikko waits in the listen queue instead of failing. The service ends with the
    master: on a normal exit (atexit), and when the master is killed (the parent-death signal).
    """
    address = f"\0ideapankki-voikko-{os.getpid()}-{secrets.token_hex(8)}"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(128)
    master = os.getpid()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child, measured by tests through the socket
        status = 0
        try:
            _in_service_process(master)
            _serve(listener)
        except BaseException:  # noqa: BLE001 - a child must never return into the master's code
            log.exception("the Voikko service stopped")
            status = 1
        finally:
            os._exit(status)
    listener.close()
    service = Service(address, pid)
    atexit.register(service.stop)
    return service


def _in_service_process(master: int) -> None:
    """Die with the master (SIGTERM on its death, even by SIGKILL); leave Ctrl+C to the master."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    libc.prctl(_PR_SET_NAME, ctypes.c_char_p(PROCESS_NAME.encode()), 0, 0, 0)  # what ps and top show
    if os.getppid() != master:  # the master died before the signal was asked for
        os._exit(0)


def _serve(listener: socket.socket) -> None:
    _load()
    lock = threading.Lock()  # one lookup at a time: the transducer is not known to be thread-safe
    uid = os.getuid()
    while True:
        connection, _ = listener.accept()
        peer_uid = struct.unpack("3i", connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))[1]
        if peer_uid != uid:
            connection.close()
            continue
        threading.Thread(target=_answer, args=(connection, lock), daemon=True).start()


def _answer(connection: socket.socket, lock: threading.Lock) -> None:
    with connection:
        while True:
            try:
                words = _receive(connection)
            except (OSError, ValueError):
                return  # the worker went away, or sent something that is not a list of words
            if not (isinstance(words, list) and len(words) <= MAX_WORDS and all(isinstance(w, str) for w in words)):
                return
            with lock:
                answer = [_analyse_safely(w) for w in words]
            try:
                _send(connection, answer)
            except OSError:
                return


def _analyse_safely(word: str) -> list[Analysis]:
    """A word Voikko fails on is a word it does not know (the asker falls back to Snowball)."""
    if len(word) > MAX_WORD:
        return []
    try:
        return _analyse_here(word)
    except Exception:  # noqa: BLE001 - one odd word must not end the connection
        log.warning("Voikko failed on %r", word, exc_info=True)
        return []


# --- the workers' side -----------------------------------------------------------------------------

class _Client:
    """One connection per process (a forked child opens its own), used by one thread at a time."""

    def __init__(self, address: str):
        self.address = address
        self._socket: socket.socket | None = None
        self._pid = 0
        self._lock = threading.Lock()

    def analyse(self, words: list[str]) -> list[list[Analysis]]:
        with self._lock:
            if self._socket is None or self._pid != os.getpid():
                self._socket = None  # a parent's connection is the parent's
                connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                connection.settimeout(TIMEOUT_S)
                connection.connect(self.address)
                self._socket, self._pid = connection, os.getpid()
            try:
                _send(self._socket, words)
                answer = _receive(self._socket)
            except BaseException:
                self._socket.close()
                self._socket = None
                raise
        if not isinstance(answer, list) or len(answer) != len(words):
            raise ValueError("the Voikko service answered something else than asked")
        return [[(base, tuple(parts) if parts is not None else None) for base, parts in one] for one in answer]

    def close(self) -> None:
        with self._lock:
            if self._socket is not None and self._pid == os.getpid():
                self._socket.close()
            self._socket = None


def _send(connection: socket.socket, value) -> None:
    data = json.dumps(value).encode()  # ASCII: a lone surrogate from a query is escaped, not an error
    connection.sendall(_LENGTH.pack(len(data)) + data)


def _receive(connection: socket.socket):
    (length,) = _LENGTH.unpack(_exactly(connection, _LENGTH.size))
    if length > MAX_MESSAGE:
        raise ValueError(f"message of {length} bytes")
    return json.loads(_exactly(connection, length))


def _exactly(connection: socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = connection.recv(min(left, 1 << 20))
        if not chunk:
            raise ConnectionError("the connection closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
