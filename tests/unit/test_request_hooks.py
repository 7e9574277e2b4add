"""The request and rendering shortcuts give what the general code they stand in for gives."""

from __future__ import annotations

import re

import pytest
from flask import Response
from markupsafe import Markup

from ideapankki.web.serving import access_log, http_cache


def _reference(response: Response, tag: str) -> Response:
    """What the validators were set with before: werkzeug's setters, one lookup each."""
    response.set_etag(tag, weak=True)
    response.headers["Cache-Control"] = http_cache.PUBLIC
    response.vary.add(http_cache.VARY)
    return response


@pytest.mark.parametrize("headers", [
    {},
    {"Vary": "Accept-Encoding"},
    {"Vary": "Cookie"},
    {"Cache-Control": "no-cache", "X-Other": "1"},
    {"ETag": '"strong"', "Content-Language": "fi"},
])
@pytest.mark.parametrize("status", [200, 304])
def test_validators_are_the_headers_werkzeug_would_set(headers, status):
    fast = http_cache._validated(Response("x", status=status, headers=headers), "abc123")
    reference = _reference(Response("x", status=status, headers=headers), "abc123")
    assert fast.headers.to_wsgi_list() == reference.headers.to_wsgi_list()


def test_a_new_request_id_is_32_hex_digits_and_a_proxys_plausible_one_is_kept():
    made = {access_log.request_id(None) for _ in range(100)}
    assert len(made) == 100 and all(re.fullmatch(r"[0-9a-f]{32}", i) for i in made)
    assert access_log.request_id("abc-123-def") == "abc-123-def"
    assert re.fullmatch(r"[0-9a-f]{32}", access_log.request_id("bad id!"))


class _Html:
    def __html__(self):
        return "<b>safe</b>"


class _Text(str):
    pass


@pytest.mark.parametrize("value", ["", "plain", "<a href=\"x\">'&'</a>", "ääkköset – ja €", Markup("<i>ok</i>"),
                                   0, 12.5, None, True, _Html(), _Text("<sub>"), ["<li>"]])
def test_the_templates_escape_is_markupsafes(value):
    from markupsafe import escape

    from ideapankki.web.template_escape import escape as fast

    assert fast(value) == escape(value) and type(fast(value)) is Markup



@pytest.mark.parametrize("vary", [None, "Cookie", "Accept-Encoding", "accept-encoding, COOKIE", '"Cookie"', "Cookies"])
def test_an_accessed_empty_session_varies_by_cookie_once(vary):
    from ideapankki.web.extensions import _varies_by_cookie

    response = Response("x", headers={"Vary": vary} if vary else {})
    reference = Response("x", headers={"Vary": vary} if vary else {})
    reference.vary.add("Cookie")
    if not _varies_by_cookie(response.headers):
        response.vary.add("Cookie")
    assert response.headers.to_wsgi_list() == reference.headers.to_wsgi_list()
