"""logs.emit's direct write (LineHandler.write_line) gives the bytes logging's record path gave, and
steps aside whenever a record is needed."""

from __future__ import annotations

import io
import json
import logging

import pytest

from ideapankki import logs

PAYLOADS = [
    {"request_id": "a" * 32, "method": "GET", "path": "/entries/ä-%s-\"x\"\\", "status": 200, "duration_ms": 1.3,
     "user_id": None, "cache": "etag"},
    {"event": "published", "at": "2026-12-06T00:00:00+00:00", "entry": 7, "note": "line\nbreak", "when": object},
]


@pytest.fixture
def logger():
    """A logger set up as logs.configure() sets up ideapankki.access, on a stream of its own."""
    made = logging.Logger("test-lines", logging.INFO)  # of its own: no test plugin's handler on it
    made.propagate = False
    stream = io.StringIO()
    handler = logs.LineHandler(stream)
    made.addHandler(handler)
    return made, handler, stream


def _record_way(payload) -> str:
    """What emit wrote before the direct write: a record through a StreamHandler with Formatter("%(message)s")."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(message)s"))
    line = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str)
    handler.handle(logging.LogRecord("x", logging.INFO, "(unknown file)", 0, line, None, None))
    return stream.getvalue()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_direct_write_gives_the_record_ways_bytes(logger, payload, monkeypatch):
    made, _handler, stream = logger
    monkeypatch.setattr(made, "handle", lambda record: pytest.fail("a record was made"))
    logs.emit(made, payload)
    assert stream.getvalue() == _record_way(payload)


def test_a_record_is_made_when_something_may_look_at_it(logger, monkeypatch):
    made, handler, stream = logger
    records = []
    monkeypatch.setattr(made, "handle", records.append)
    logs.emit(made, {"n": 1})  # the bare handler alone: written directly
    handler.addFilter(lambda record: True)
    logs.emit(made, {"n": 2})
    handler.filters.clear()
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logs.emit(made, {"n": 3})
    handler.setFormatter(handler.bare)
    made.addFilter(lambda record: True)
    logs.emit(made, {"n": 4})
    made.filters.clear()
    made.propagate = True  # a host's root handler (pytest's caplog) must get the record
    logs.emit(made, {"n": 5})
    assert stream.getvalue() == '{"n":1}\n'
    assert [json.loads(record.getMessage())["n"] for record in records] == [2, 3, 4, 5]


def test_a_failed_write_goes_the_records_way(logger, monkeypatch):
    made, handler, _stream = logger
    handler.stream = None  # write raises
    records = []
    monkeypatch.setattr(made, "handle", records.append)
    logs.emit(made, {"n": 1})
    assert [record.getMessage() for record in records] == ['{"n":1}']
