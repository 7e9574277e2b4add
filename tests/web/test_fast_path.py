"""The page cache's fast path: hits answered before Flask, exactly as Flask answers them."""

from __future__ import annotations

import gc

import pytest
import sqlalchemy as sa
from flask import request_started
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.test import Client

from ideapankki import create_app
from ideapankki.db import create_db_engine
from ideapankki.web.database import ENGINE_KEY
from ideapankki.web.index import SEARCH_KEY
from ideapankki import close_app
from ideapankki.web.serving import collect, page_cache
from ideapankki.web.serving.proxy import HSTS
from test_collect import _cycles
from test_page_cache import edit_title

PAGE = "/entries/kokeilu-0"


@pytest.fixture
def published(app, entry_factory):
    entries = [entry_factory(f"kokeilu-{i}", title=f"Omavalmentaja {i}") for i in range(2)]
    app.extensions[SEARCH_KEY].rebuild()
    return entries


@pytest.fixture
def watch():
    """watch(app): the paths Flask dispatches for APP from now on (a fast-path answer never shows)."""
    connected = []

    def start(app):
        seen = []

        def receiver(_sender, **_extra):
            from flask import request
            seen.append(request.path)
        request_started.connect(receiver, app, weak=False)
        connected.append((receiver, app))
        return seen

    yield start
    for receiver, app in connected:
        request_started.disconnect(receiver, app)


@pytest.fixture
def flask_requests(app, watch):
    return watch(app)


@pytest.fixture
def make_app(tmp_path, databases):
    made = []

    def make(**config):
        app = create_app({"TESTING": True, "INSTANCE_DIR": tmp_path / f"instance-{len(made)}",
                          "DATABASE_URL": databases.fresh(), "SECRET_KEY": "test-secret", **config})
        made.append(app)
        return app

    yield make
    for app in made:
        close_app(app)


def flask_only(app) -> Client:
    """A client of the Flask app inside the fast path (behind the same ProxyFix): how Flask answers."""
    outer = app.wsgi_app
    if isinstance(outer, ProxyFix):
        return Client(ProxyFix(outer.app.wsgi_app, outer.x_for, outer.x_proto, outer.x_host, outer.x_port,
                               outer.x_prefix))
    return Client(outer.wsgi_app)


def headers_of(response) -> list[tuple[str, str]]:
    """The headers in order, without the per-request id."""
    return [(k, v) for k, v in response.headers.items() if k != "X-Request-Id"]


def test_a_hit_is_answered_before_flask_exactly_as_flask_answers_it(app, client, published, flask_requests,
                                                                    access_lines):
    rendered = client.get(PAGE)
    fast, again = client.get(PAGE), client.get(PAGE)  # the second from the replayed status and headers
    by_flask = flask_only(app).get(PAGE)
    assert flask_requests == [PAGE, PAGE]  # the rendering and flask_only's
    assert [line.get("cache") for line in access_lines()] == ["miss", "hit", "hit", "hit"]
    assert fast.status_code == again.status_code == by_flask.status_code == 200
    assert fast.data == again.data == by_flask.data == rendered.data
    assert headers_of(fast) == headers_of(again) == headers_of(by_flask)
    assert len({r.headers["X-Request-Id"] for r in (fast, again, by_flask)}) == 3
    assert fast.headers["Cache-Control"] == page_cache.PUBLIC and fast.headers["Content-Security-Policy"]
    assert fast.headers["Vary"] == "Cookie" and "Set-Cookie" not in fast.headers


def test_head_and_if_none_match_are_answered_as_flask_answers_them(app, client, published, flask_requests):
    client.head(PAGE)
    fast, by_flask = client.head(PAGE), flask_only(app).head(PAGE)
    assert fast.data == b"" and headers_of(fast) == headers_of(by_flask)
    assert fast.headers["Content-Length"] == str(len(client.get(PAGE).data)) != "0"
    etag = client.get(PAGE).headers["ETag"]
    fast, by_flask = (c.get(PAGE, headers={"If-None-Match": etag}) for c in (client, flask_only(app)))
    assert fast.status_code == by_flask.status_code == 304 and fast.data == b""
    assert headers_of(fast) == headers_of(by_flask) and fast.headers["ETag"] == etag
    assert flask_requests == [PAGE, PAGE, PAGE, PAGE]  # HEAD rendered, by Flask; GET rendered, by Flask


@pytest.mark.parametrize("where", ["same", "other"])
def test_a_write_shows_at_once(app, client, app_session, published, where, another_worker, watch):
    reader = app if where == "same" else another_worker()
    seen, reader = watch(reader), reader.test_client()
    reader.get(PAGE)
    assert "Omavalmentaja 0" in reader.get(PAGE).text
    edit_title(app_session, "kokeilu-0", "Muokattu otsikko")
    assert "Muokattu otsikko" in reader.get(PAGE).text
    assert "Muokattu otsikko" in reader.get(PAGE).text
    assert seen == [PAGE, PAGE]  # rendered before and after the write; each then from the fast path


def test_a_session_or_remember_me_cookie_always_goes_to_flask(client, published, flask_requests, access_lines):
    client.get("/"), client.get("/")
    client.set_cookie("session", "not-a-signed-session")  # an anonymous session: Flask's own hit
    client.get("/")
    client.delete_cookie("session")
    client.set_cookie("remember_token", "1|whatever")
    client.get("/")
    assert flask_requests == ["/", "/", "/"]
    assert [line.get("cache") for line in access_lines()] == ["miss", "hit", "hit", None]


def test_each_language_has_its_own_page(client, published, flask_requests):
    pages = {}
    for name, path, cookie in (("fi", "/", None), ("sv", "/?lang=sv", None), ("en", "/", "en"),
                               ("sv-cookie", "/", "sv")):
        if cookie:
            client.set_cookie("lang", cookie)
        first, second = client.get(path), client.get(path)
        assert first.data == second.data, name
        pages[name] = second.text
    assert flask_requests == ["/"] * 4
    assert 'lang="fi"' in pages["fi"] and 'lang="en"' in pages["en"]
    assert 'lang="sv"' in pages["sv"] and 'lang="sv"' in pages["sv-cookie"]
    assert len({pages["fi"], pages["sv"], pages["en"]}) == 3


def test_behind_an_https_proxy_the_key_has_the_forwarded_scheme_and_hits_get_hsts(make_app, watch):
    app = make_app(HTTPS=True, PROXY_FIX="1", PUBLIC_URL="https://localhost")
    seen, client = watch(app), app.test_client()
    https = {"X-Forwarded-Proto": "https"}
    client.get("/", headers=https)
    fast = client.get("/", headers=https)
    assert fast.headers["Strict-Transport-Security"] == HSTS
    assert headers_of(fast) == headers_of(flask_only(app).get("/", headers=https))
    plain = client.get("/", base_url="http://localhost")  # the test client defaults to PREFERRED_URL_SCHEME
    assert seen == ["/", "/", "/"] and "https://localhost/" in fast.text
    assert "https://localhost/" in plain.text and "http://localhost/" not in plain.text  # links: the public URL


def test_one_access_line_per_hit_with_a_proxys_request_id_kept(client, published, access_lines):
    client.get(PAGE)
    access_lines()
    kept = client.get(PAGE, headers={"X-Request-Id": "proxy-id-12345"})
    replaced = client.get(PAGE, headers={"X-Request-Id": "<script>"})
    first, second = access_lines()
    assert first == {"request_id": "proxy-id-12345", "method": "GET", "path": PAGE, "status": 200,
                     "duration_ms": first["duration_ms"], "user_id": None, "cache": "hit"}
    assert isinstance(first["duration_ms"], float) and kept.headers["X-Request-Id"] == "proxy-id-12345"
    assert second["request_id"] == replaced.headers["X-Request-Id"] != "<script>"


def test_a_database_failure_goes_to_flask(app, client, published, flask_requests, monkeypatch, tmp_path):
    client.get("/"), client.get("/")
    (tmp_path / "file").write_text("not a folder")
    broken = create_db_engine(f"sqlite:///{tmp_path / 'file' / 'ideapankki.db'}")
    monkeypatch.setitem(app.extensions, ENGINE_KEY, broken)
    try:
        with pytest.raises(sa.exc.OperationalError):  # TESTING propagates what Flask's path raised
            client.get("/")
    finally:
        broken.dispose()
    assert flask_requests == ["/", "/"]


def test_a_blueprint_with_its_own_after_request_hook_is_answered_by_flask(client, published, flask_requests,
                                                                          access_lines):
    first, second = client.get("/api/v1/entries"), client.get("/api/v1/entries")
    assert flask_requests == ["/api/v1/entries"] * 2 and [line["cache"] for line in access_lines()] == ["miss", "hit"]
    assert second.headers["Access-Control-Allow-Origin"] == "*" and second.data == first.data


def test_an_app_hook_the_fast_path_does_not_know_sends_every_request_to_flask(app, client, published, flask_requests):
    calls = []
    # as if registered by a module set up before the page cache (e.g. an address ban): never skipped
    app.before_request_funcs[None].insert(0, lambda: calls.append(1))
    client.get("/"), client.get("/")
    assert flask_requests == ["/", "/"] and len(calls) == 2


def test_zero_megabytes_never_takes_the_fast_path(app, client, published, flask_requests):
    app.extensions[page_cache.KEY] = page_cache.PageCache(0)
    client.get("/"), client.get("/")
    assert flask_requests == ["/", "/"]


def test_a_hit_collects_garbage_when_it_ends_as_flask_does(app, client, published, flask_requests):
    was_enabled = gc.isenabled()
    try:
        collect.between_requests(app)
        client.get("/")
        ref = _cycles(gc.get_threshold()[0] + 10)
        assert ref() is not None  # automatic collection is off
        client.get("/")
        assert flask_requests == ["/"] and ref() is None
    finally:
        if was_enabled:
            gc.enable()


def test_the_cache_knows_the_paths_it_holds_so_that_other_requests_skip_the_version_query():
    cache = page_cache.PageCache(20_000, path_of=lambda key: key[0])  # four pages fit
    page = page_cache.Stored(200, [], b"x" * 4000, "e")
    for key in (("/a", 1), ("/a", 2), ("/b", 1), ("/b", 1), ("/e", 1)):  # the second ("/b", 1) replaces the first
        cache.put(key, page)
    assert cache.may_hold("/a") and cache.may_hold("/b") and not cache.may_hold("/static/site.css")
    cache.put(("/c", 1), page)  # evicts ("/a", 1)
    assert cache.may_hold("/a")
    cache.put(("/d", 1), page)  # evicts ("/a", 2)
    assert not cache.may_hold("/a") and all(cache.may_hold(p) for p in "/b /c /d /e".split()) and len(cache) == 4
