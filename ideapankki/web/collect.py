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
"""

from __future__ import annotations

import gc

from flask import Flask


def collect_due() -> int | None:
    """Collect the generation CPython's thresholds call for now, if any; return it."""
    count0, count1, count2 = gc.get_count()
    threshold0, threshold1, threshold2 = gc.get_threshold()
    if count0 < threshold0:
        return None
    generation = 2 if count1 >= threshold1 and count2 >= threshold2 else 1 if count1 >= threshold1 else 0
    gc.collect(generation)
    return generation


def between_requests(app: Flask) -> None:
    """Turn automatic collection off in this process and collect when each request of APP ends."""
    gc.disable()
    app.teardown_request(teardown)


def teardown(_error=None) -> None:
    """The teardown_request hook (module-level, so the page cache's fast path knows and runs it too)."""
    collect_due()
