"""The Voikko service: the serving workers ask one process instead of each holding the transducer."""

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from ideapankki.search import analysis, voikko

pytestmark = pytest.mark.skipif(not voikko.available(), reason="pyvoikko is not installed")

WORDS = ["kunnissa", "kuntakokeilussa", "henkilöstömitoitusta", "työllisyyspalveluja", "xyzzyqq", "ja", "Åbo"]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def service():
    started = voikko.start_service()
    yield started
    voikko.use_local()
    started.stop()


def _run(script: str) -> dict:
    """Run SCRIPT in a new interpreter (where nothing has loaded Voikko yet); return its JSON."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True,
                          timeout=120, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_the_service_answers_as_voikko_here(service):
    here = {word: voikko._analyse_here(word) for word in WORDS}
    voikko.use_service(service.address)
    assert {word: voikko.analyse(word) for word in WORDS} == here
    assert voikko._client is not None and voikko._client._socket is not None  # it did ask the service
    assert here["kuntakokeilussa"] == [("kuntakokeilu", ("kunta", "kokeilu"))]
    assert here["xyzzyqq"] == []


def test_lemmas_through_the_service_equal_lemmas_made_here(service):
    here = {word: analysis.analyse_word(word) for word in WORDS}
    voikko.use_service(service.address)
    assert {word: analysis.analyse_word(word) for word in WORDS} == here


def test_forked_workers_ask_the_service_and_never_load_voikko_themselves():
    found = _run("""
        import json, os, sys
        from ideapankki.search import voikko
        service = voikko.start_service()
        voikko.use_service(service.address)
        read, write = os.pipe()
        children = []
        for _ in range(2):
            pid = os.fork()
            if pid == 0:
                answer = [voikko.analyse(w) for w in ("kunnissa", "kuntakokeilussa")]
                os.write(write, (json.dumps([answer, "pyvoikko" in sys.modules]) + "\\n").encode())
                os._exit(0)
            children.append(pid)
        for pid in children:
            os.waitpid(pid, 0)
        os.close(write)
        lines = os.read(read, 65536).decode().splitlines()
        maps = open(f"/proc/{service.pid}/maps").read()
        print(json.dumps({"children": [json.loads(line) for line in lines], "master": "pyvoikko" in sys.modules,
                          "service_maps_kfst": "kfst" in maps}))
    """)
    assert len(found["children"]) == 2
    for answer, loaded in found["children"]:
        assert answer == [[["kunta", None]], [["kuntakokeilu", ["kunta", "kokeilu"]]]] and loaded is False
    assert found["master"] is False and found["service_maps_kfst"] is True


def test_a_failed_service_leaves_the_process_analysing_here_with_a_warning(service, caplog):
    voikko.use_service(service.address)
    assert voikko.analyse("kunnissa") == [("kunta", None)]
    service.stop()
    assert voikko.analyse("kuntakokeilussa") == [("kuntakokeilu", ("kunta", "kokeilu"))]
    assert "the Voikko service failed" in caplog.text
    assert voikko._client is None


def test_the_service_ends_when_its_master_is_killed():
    master = subprocess.Popen([sys.executable, "-c", textwrap.dedent("""
        import sys, time
        from ideapankki.search import voikko
        service = voikko.start_service()
        print(service.pid, flush=True)
        time.sleep(120)
    """)], stdout=subprocess.PIPE, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        pid = int(master.stdout.readline())
        assert Path(f"/proc/{pid}").exists()
        master.send_signal(signal.SIGKILL)
        master.wait(timeout=10)
        deadline = time.monotonic() + 10
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(pid)
    finally:
        master.kill()
        master.stdout.close()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ")[1][0] != "Z"  # a zombie waits for init to reap it: it is gone
    except FileNotFoundError:
        return False


def test_odd_words_get_an_answer_and_keep_the_worker_on_the_service(service):
    voikko.use_service(service.address)
    for odd in ("\ud800", "a\x00b", "ä" * 200, "kunta" * 1000, "§"):
        assert isinstance(voikko.analyse(odd), list)
    assert voikko._client is not None and voikko.analyse("kunnissa") == [("kunta", None)]


def test_the_service_drops_a_bad_message_and_goes_on_serving(service):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as raw:
        raw.settimeout(10)
        raw.connect(service.address)
        raw.sendall(voikko._LENGTH.pack(9) + b'{"a": 1}!')
        assert raw.recv(10) == b""  # closed without an answer
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as raw:
        raw.settimeout(10)
        raw.connect(service.address)
        raw.sendall(voikko._LENGTH.pack(voikko.MAX_MESSAGE + 1))
        assert raw.recv(10) == b""
    voikko.use_service(service.address)
    assert voikko.analyse("kunnissa") == [("kunta", None)]


@pytest.mark.skipif(os.getuid() != 0, reason="needs root to ask as another user")
def test_the_service_answers_only_its_own_user(service):
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        os.setuid(65534)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as raw:
            raw.settimeout(10)
            raw.connect(service.address)
            try:
                voikko._send(raw, ["kunnissa"])
                os.write(write, repr(raw.recv(100)).encode())
            except OSError as exc:
                os.write(write, repr(exc).encode())
        os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    told = os.read(read, 1000).decode()
    os.close(read)
    assert "kunta" not in told and (told == "b''" or "Error" in told)
