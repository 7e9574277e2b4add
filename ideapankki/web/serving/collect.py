"""Run Python's cyclic garbage collector between requests, never in the middle of one.

CPython 3.11 can crash with a use-after-free when a collection starts while an object's
inline attribute values are being turned into a dict (the allocation of that dict triggers
it) and a weakref callback or finalizer run by the collection sets an attribute on the same
object. A worker rendering listing pages of 20,000 entries with the page cache off died of
SIGSEGV (or aborted with "free(): invalid pointer") within about 60 requests, in
SQLAlchemy's loading code or wherever the corrupted dict was next touched; valgrind shows the
values freed by dictresize inside handle_weakrefs during _PyObject_StoreInstanceAttribute.
With automatic collection off and the same thresholds applied when a request ends, the
same run serves every page (`python bench/gc_crash.py`). The serving processes (gunicorn
workers, the development server) use this; tests and the CLI keep Python's default.

When a request is over and the last trim is TRIM_EVERY_S old, the process also gives glibc's
free heap pages back to the system (malloc_trim). What a request frees (numpy arrays of a
search, rendered pages, evicted cache entries) stays in the heap otherwise, scattered among
long-lived objects where glibc's own trimming of the heap's top never reaches, and the next
requests spread over all of it: after the load benchmark a worker held some 100 MB of free heap
(330 MB resident, 214 MB after a trim). Trimming after every rendered page kept the busy
worker's peak only some 30 MB lower but made rendering 30% slower (the next requests fault the
pages back in), so a busy worker trims once in TRIM_EVERY_S, and an idle one at its next
request (a load balancer's health check). Under gunicorn this runs after the response has
been sent (serving.post_request), so no reader waits for it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import time

from flask import Flask

TRIM_EVERY_S = 2.0


def _malloc_trim():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or None).malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to trim this way
        return None


_MALLOC_TRIM = _malloc_trim()
_last_trim = time.monotonic()


def collect_due() -> int | None:
    """Collect the generation CPython's thresholds call for now, if any; return it."""
    count0, count1, count2 = gc.get_count()
    threshold0, threshold1, threshold2 = gc.get_threshold()
    if count0 < threshold0:
        return None
    generation = 2 if count1 >= threshold1 and count2 >= threshold2 else 1 if count1 >= threshold1 else 0
    gc.collect(generation)
    return generation


def trim_due() -> bool:
    """Give free heap memory back to the system if the last trim is TRIM_EVERY_S old; say if done."""
    global _last_trim
    if _MALLOC_TRIM is None or time.monotonic() - _last_trim < TRIM_EVERY_S:
        return False
    _MALLOC_TRIM(0)
    _last_trim = time.monotonic()
    return True


def tidy() -> None:
    """What a serving process does when a request is over: collect garbage, trim the heap, when due."""
    collect_due()
    trim_due()


def teardown(_error=None) -> None:
    """The teardown_request hook of the development server (gunicorn runs tidy after sending)."""
    tidy()


def serving_process() -> None:
    """Turn automatic collection off in this process: tidy() is called when each request is over."""
    gc.disable()


def between_requests(app: Flask) -> None:
    """Turn automatic collection off in this process and tidy up when each request of APP ends."""
    serving_process()
    app.teardown_request(teardown)
