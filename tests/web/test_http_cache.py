"""HTTP validators: anonymous pages carry an ETag from the site's version and get 304 while it holds."""

from __future__ import annotations

import pytest
from flask import render_template_string

from clients import PASSWORD, sign_in
from factories import make_entry, make_programme
from ideapankki import accounts, workflow
from ideapankki.content import EntryDocument
from ideapankki.entries import save_document
from ideapankki.models import EntryState, Role
from ideapankki.reference import MunicipalityIndex
from ideapankki.web.index import SEARCH_KEY
from ideapankki.web.serving import http_cache
from index_damage import damage


@pytest.fixture
def cache_of(access_lines):
    """The "cache" field of the access lines so far: "etag" (rendered with validators), "304", or None."""
    return lambda: [line.get("cache") for line in access_lines()]


@pytest.fixture
def published(app, entry_factory):
    entries = [entry_factory(f"kokeilu-{i}", title=f"Omavalmentaja {i}") for i in range(3)]
    app.extensions[SEARCH_KEY].rebuild()
    return entries


def edit_title(session, slug: str, title: str) -> None:
    """Change a published entry's title as an import does (a domain write, outside any request)."""
    doc = EntryDocument(slug=slug, type="practice", title=title, summary="Tiivistelmä.", body="## Tausta\n\nTeksti.")
    save_document(session, doc, [MunicipalityIndex.from_session(session).resolve(m) for m in doc.municipalities])
    session.commit()


def test_an_anonymous_page_is_validated_and_may_be_kept_by_a_proxy(client, published, cache_of):
    first, second = client.get("/entries/kokeilu-0"), client.get("/entries/kokeilu-0")
    assert cache_of() == ["etag", "etag"]
    assert first.status_code == second.status_code == 200 and first.data == second.data
    assert first.headers["ETag"] == second.headers["ETag"] and first.headers["ETag"].startswith('W/"')
    assert first.headers["X-Request-Id"] != second.headers["X-Request-Id"]
    assert second.headers["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert "Cookie" in second.headers["Vary"] and "Set-Cookie" not in second.headers


def test_the_api_and_feeds_are_validated_with_their_own_headers(client, published, cache_of):
    for path in ("/api/v1/search?q=omavalmentaja", "/feeds/entries.atom", "/api/v1/entries"):
        first = client.get(path)
        again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and first.content_type.startswith(("application/", "text/")), path
    assert cache_of() == ["etag", "304"] * 3
    assert first.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("where", ["same", "other"])
def test_publishing_or_editing_shows_at_once_in_this_and_another_worker(app, client, app_session, published,
                                                                         where, another_worker, cache_of):
    reader = client if where == "same" else another_worker().test_client()
    assert "Uusi kokeilu" not in reader.get("/entries").text
    assert "Omavalmentaja 0" in reader.get("/entries/kokeilu-0").text
    entry = make_entry(app_session, "uusi", title="Uusi kokeilu", state=EntryState.submitted)
    assert "Uusi kokeilu" not in reader.get("/entries").text  # submitted is not public
    workflow.place_by_operator(app_session, entry, EntryState.published, "test")
    app_session.commit()
    assert "Uusi kokeilu" in reader.get("/entries").text
    edit_title(app_session, "kokeilu-0", "Muokattu otsikko")
    assert "Muokattu otsikko" in reader.get("/entries/kokeilu-0").text
    assert cache_of() == ["etag"] * 5


def test_a_programme_change_shows_at_once(client, app_session, cache_of):
    make_programme(app_session, "ensimmainen")
    assert "Ohjelma toinen" not in client.get("/programmes").text
    make_programme(app_session, "toinen")
    assert "Ohjelma toinen" in client.get("/programmes").text
    make_programme(app_session, "toinen", title="Uusi nimi")
    assert "Uusi nimi" in client.get("/programmes").text
    assert cache_of() == ["etag"] * 3


def test_logged_in_users_never_get_a_cached_page(client, app_session, published, cache_of):
    accounts.add_user(app_session, email="maija@kajaani.fi", role=Role.member, password=PASSWORD, name="Maija M")
    app_session.commit()
    client.get("/entries/kokeilu-0")
    assert cache_of() == ["etag"]
    sign_in(client)
    cache_of()
    page = client.get("/entries/kokeilu-0")
    assert "Maija M" in page.text and cache_of() == [None]
    assert page.headers["Cache-Control"] == "private, no-store" and "ETag" not in page.headers
    etag = client.get("/entries/kokeilu-0").headers.get("ETag")
    assert etag is None and client.get("/entries/kokeilu-0", headers={"If-None-Match": '"x"'}).status_code == 200


def test_a_remember_me_cookie_is_never_answered_with_304(client, published, cache_of):
    etag = client.get("/").headers["ETag"]
    client.set_cookie("remember_token", "1|whatever")
    assert client.get("/", headers={"If-None-Match": etag}).status_code == 200
    assert cache_of() == ["etag", None]


def test_a_page_with_a_flash_is_never_validated(client, published, cache_of):
    plain = client.get("/")
    client.get("/my")  # login_required: redirects to the log-in page with a flashed message
    flashed = client.get("/", headers={"If-None-Match": plain.headers["ETag"]})
    assert flashed.status_code == 200 and 'class="flash"' in flashed.text and 'class="flash"' not in plain.text
    assert "ETag" not in flashed.headers
    assert client.get("/", headers={"If-None-Match": plain.headers["ETag"]}).status_code == 304
    assert cache_of() == ["etag", None, None, "304"]


def test_a_page_that_makes_a_csrf_token_is_not_kept(app, client, monkeypatch, cache_of):
    app.add_url_rule("/probe", "probe", lambda: render_template_string("{{ csrf_token() }}"))
    monkeypatch.setitem(http_cache.ALLOWED, "probe", False)
    first, second = client.get("/probe"), client.get("/probe")
    # One session, one token: the signed form carries the second it was signed in, so compare the
    # token itself (itsdangerous' payload before the timestamp), or a slow run across a second fails.
    assert first.status_code == 200 and first.text.split(".")[0] == second.text.split(".")[0]
    assert cache_of() == [None, None] and second.headers["Cache-Control"] == "private, no-store"
    other = app.test_client().get("/probe")
    assert other.text.split(".")[0] != first.text.split(".")[0]


def test_each_language_has_its_own_etag(client, published, cache_of):
    finnish, swedish = client.get("/"), client.get("/?lang=sv")
    assert finnish.data != swedish.data and 'lang="sv"' in swedish.text
    client.set_cookie("lang", "en")
    english = client.get("/")
    assert 'lang="en"' in english.text and english.headers["ETag"] != finnish.headers["ETag"]
    client.delete_cookie("lang")
    assert swedish.headers["ETag"] != finnish.headers["ETag"]
    assert client.get("/").data == finnish.data
    assert client.get("/", headers={"Accept-Language": "sv"}).data == finnish.data  # not negotiated
    assert client.get("/", headers={"If-None-Match": finnish.headers["ETag"]}).status_code == 304


def test_if_none_match_is_answered_with_304_until_the_data_changes(client, app_session, published, cache_of):
    etag = client.get("/entries/kokeilu-1").headers["ETag"]
    assert etag.startswith('W/"')
    unchanged = client.get("/entries/kokeilu-1", headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.data == b""
    assert unchanged.headers["ETag"] == etag and unchanged.headers["Content-Security-Policy"]
    edit_title(app_session, "kokeilu-1", "Uusi otsikko")
    changed = client.get("/entries/kokeilu-1", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "Uusi otsikko" in changed.text and changed.headers["ETag"] != etag
    assert cache_of() == ["etag", "304", "etag"]


def test_another_worker_answers_304_to_an_etag_from_this_one(client, published, another_worker):
    etag = client.get("/entries/kokeilu-1").headers["ETag"]
    other = another_worker().test_client()
    assert other.get("/entries/kokeilu-1", headers={"If-None-Match": etag}).status_code == 304


def test_a_search_from_a_lagging_index_is_not_validated(app, client, app_session, published, cache_of):
    client.get("/search?q=omavalmentaja")
    store = app.extensions[SEARCH_KEY].store
    with store.writing():  # another process is writing the index: this one cannot catch up
        make_entry(app_session, "kokeilu-9", title="Omavalmentaja 9")
        lagging = client.get("/search?q=omavalmentaja")
        assert "Omavalmentaja 9" not in lagging.text and "ETag" not in lagging.headers
        client.get("/search?q=omavalmentaja")
    assert cache_of() == ["etag", None, None]
    assert "Omavalmentaja 9" in client.get("/search?q=omavalmentaja").text


def test_the_503_search_page_and_a_degraded_entry_page_are_not_validated(app, client, published, cache_of):
    index = app.extensions[SEARCH_KEY]
    damage(index.store.root, "delete-toc")
    with index.store.writing():  # the rebuild waits for this "other process"
        for _ in range(2):
            assert client.get("/search?q=omavalmentaja").status_code == 503
            entry = client.get("/entries/kokeilu-0")
            assert entry.status_code == 200 and "ETag" not in entry.headers
    assert cache_of() == [None] * 4
    assert index.healer.wait(30)
    assert "Omavalmentaja 1" in client.get("/search?q=omavalmentaja").text
    assert cache_of() == ["etag"]


def test_a_post_is_never_answered_with_304(client, published, cache_of):
    etag = client.get("/entries").headers["ETag"]
    assert client.post("/entries", headers={"If-None-Match": etag}).status_code == 405
    assert cache_of() == ["etag", None]


def test_head_requests_are_validated_too(client, published, cache_of):
    first = client.head("/entries")
    assert first.headers["Content-Length"] != "0" and first.headers["ETag"]
    assert client.head("/entries", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert cache_of() == ["etag", "304"]


def test_head_carries_the_validator_of_its_get(client, published):
    """A link checker's HEAD and a browser's GET revalidate one another (RFC 9110 9.3.2)."""
    head_tag = client.head("/entries").headers["ETag"]
    assert client.get("/entries").headers["ETag"] == head_tag
    assert client.get("/entries", headers={"If-None-Match": head_tag}).status_code == 304


def test_the_etag_check_and_the_page_share_one_pooled_connection(app, client, published, cache_of, db_kind):
    """The version read of the ETag check is made on the connection the page's reads then use: one
    checkout a page on PostgreSQL, none on SQLite, whose reads keep their connection (db_reads.Kept)."""
    from sqlalchemy import event

    from ideapankki.web.database import ENGINE_KEY

    engine, checkouts = app.extensions[ENGINE_KEY], []
    client.get(f"/entries/{published[0].slug}")  # the pages' first-time work done

    def checkout(*_args):
        checkouts.append(1)
    event.listen(engine, "checkout", checkout)
    try:
        response = client.get(f"/entries/{published[0].slug}")
    finally:
        event.remove(engine, "checkout", checkout)
    assert response.status_code == 200 and cache_of()[-1] == "etag"
    assert len(checkouts) == (0 if db_kind == "sqlite" else 1)


def test_a_failing_pooled_read_falls_back_to_the_engine(app, client, published, cache_of, monkeypatch):
    def broken(_dialect, _connection):
        raise RuntimeError("the connection broke")
    monkeypatch.setattr(http_cache, "version_on", broken)
    response = client.get(f"/entries/{published[0].slug}")
    assert response.status_code == 200 and cache_of()[-1] == "etag" and response.headers["ETag"]
