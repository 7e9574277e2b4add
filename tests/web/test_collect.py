"""Serving processes collect cyclic garbage when a request ends, with automatic collection off."""

import gc
import weakref

from ideapankki.web import collect


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
