"""Serving processes collect cyclic garbage when a request ends, with automatic collection off."""

import gc
import time
import weakref

import pytest

from ideapankki.web.serving import collect


class Node:
    pass


def _cycles(count: int) -> weakref.ref:
    """COUNT objects in reference cycles, now garbage; a weak reference to one of them."""
    first = None
    for _ in range(count):
        node = Node()
        node.me = node
        first = first or node
    return weakref.ref(first)


def test_collect_due_collects_only_when_the_thresholds_say_so():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        assert collect.collect_due() is None  # nothing allocated since
        ref = _cycles(gc.get_threshold()[0] + 10)
        assert ref() is not None  # automatic collection is off
        assert collect.collect_due() is not None
        assert ref() is None
    finally:
        if was_enabled:
            gc.enable()


def test_an_app_collects_between_requests_and_not_during_them(app):
    refs = []

    @app.before_request
    def make_garbage():
        refs.append(_cycles(gc.get_threshold()[0] + 10))
        assert refs[-1]() is not None

    was_enabled = gc.isenabled()
    try:
        collect.between_requests(app)
        assert not gc.isenabled()
        client = app.test_client()
        assert client.get("/accessibility").status_code == 200
        assert refs and refs[-1]() is None  # collected when the request ended
    finally:
        if was_enabled:
            gc.enable()


def _resident_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * 4096 / 2**20


@pytest.mark.skipif(collect._MALLOC_TRIM is None, reason="no glibc malloc_trim here")
def test_a_due_trim_gives_freed_heap_memory_back_and_the_next_waits(monkeypatch):
    # 200 MB of medium blocks (glibc's heap, not pymalloc), every tenth kept: the freed ones lie
    # between live ones, where glibc's own trimming of the heap's top does not reach
    blocks = [bytearray(2000) for _ in range(100_000)]
    kept = blocks[::10]
    del blocks
    before = _resident_mb()
    monkeypatch.setattr(collect, "_last_trim", time.monotonic() - collect.TRIM_EVERY_S)
    assert collect.trim_due() is True
    assert before - _resident_mb() > 90
    assert collect.trim_due() is False  # not again before TRIM_EVERY_S
    assert len(kept) == 10_000


def test_an_app_trims_between_requests_when_due(app, monkeypatch):
    was_enabled = gc.isenabled()
    try:
        collect.between_requests(app)
        client = app.test_client()
        monkeypatch.setattr(collect, "_last_trim", 0.0)
        assert client.get("/accessibility").status_code == 200
        assert collect._last_trim > 0.0 or collect._MALLOC_TRIM is None  # trimmed when the request ended
    finally:
        if was_enabled:
            gc.enable()


def test_gunicorn_tidies_up_after_each_response_is_sent(monkeypatch):
    from ideapankki.web.serving import server as serving

    assert serving.options(2)["post_request"] is serving.post_request
    monkeypatch.setattr(collect, "_last_trim", 0.0)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        ref = _cycles(gc.get_threshold()[0] + 10)
        serving.post_request(None, None, {}, None)
        assert ref() is None
        assert collect._last_trim > 0.0 or collect._MALLOC_TRIM is None
    finally:
        if was_enabled:
            gc.enable()
