"""JSON lines on `ideapankki.access` (one per request) and `ideapankki.audit` (workflow moves)."""

from __future__ import annotations

import json
import logging
import re

import pytest

from clients import PASSWORD, log_in, sign_in
from factories import make_entry
from ideapankki import accounts, workflow
from ideapankki.models import EntryState, Role


@pytest.fixture
def lines(caplog):
    caplog.set_level(logging.INFO, logger="ideapankki")
    return lambda name: [json.loads(r.getMessage()) for r in caplog.records if r.name == f"ideapankki.{name}"]


def test_one_access_line_per_request_with_the_id_sent_back(client, lines):
    response = client.get("/entries?q=henkilokohtainen+haku")
    (line,) = lines("access")
    assert line["method"] == "GET" and line["path"] == "/entries" and line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["user_id"] is None
    assert line["request_id"] == response.headers["X-Request-Id"]
    assert "henkilokohtainen" not in json.dumps(line)


def test_a_request_id_from_the_proxy_is_kept_and_a_bogus_one_replaced(client, lines):
    assert client.get("/healthz", headers={"X-Request-Id": "abc-123-def"}).headers["X-Request-Id"] == "abc-123-def"
    replaced = client.get("/healthz", headers={"X-Request-Id": "<script>"}).headers["X-Request-Id"]
    assert replaced != "<script>" and len(replaced) == 32
    assert [line["request_id"] for line in lines("access")] == ["abc-123-def", replaced]


def test_logged_in_requests_carry_the_user_id_never_the_address_or_password(client, app_session, lines):
    user = accounts.add_user(app_session, email="maija@kajaani.fi", role=Role.member, password=PASSWORD)
    app_session.commit()
    log_in(client)
    client.get("/account")
    *_, last = lines("access")
    assert last["path"] == "/account" and last["status"] == 200 and last["user_id"] == user.id
    everything = json.dumps(lines("access"))
    assert "maija" not in everything and PASSWORD not in everything and user.session_token not in everything


def test_errors_are_logged_with_their_status(client, lines):
    client.get("/no-such-page")
    assert lines("access")[-1]["status"] == 404


def test_workflow_moves_are_audit_lines_after_the_commit(app_session, lines):
    moderator = accounts.add_user(app_session, email="mod@kuntaliitto.fi", role=Role.moderator, password=PASSWORD)
    entry = make_entry(app_session, "kokeilu", state=EntryState.submitted)
    (placed,) = lines("audit")
    assert placed["event"] == "transition" and placed["entry_id"] == entry.id
    assert placed["from_state"] == "draft" and placed["to_state"] == "submitted" and placed["actor_id"] is None

    row = workflow.act(app_session, entry, workflow.Action.take, moderator)
    assert len(lines("audit")) == 1  # not before the commit
    app_session.commit()
    taken = lines("audit")[-1]
    assert taken["transition_id"] == row.id and taken["actor_id"] == moderator.id
    assert taken["to_state"] == "in_review" and "mod@" not in json.dumps(taken)


def test_a_rolled_back_move_leaves_no_audit_line(app_session, lines):
    entry = make_entry(app_session, "kokeilu", state=EntryState.draft)
    workflow.place_by_operator(app_session, entry, EntryState.published, "test")
    app_session.rollback()
    assert lines("audit") == []


def test_a_move_through_the_site_is_logged_on_both(client, app_session, lines):
    moderator = accounts.add_user(app_session, email="mod@kuntaliitto.fi", role=Role.moderator, password=PASSWORD)
    entry = make_entry(app_session, "kokeilu", state=EntryState.submitted)
    sign_in(client, "mod@kuntaliitto.fi")
    page = client.get(f"/moderation/{entry.slug}")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
    response = client.post(f"/entries/{entry.slug}/act", data={"csrf_token": token, "action": "take"})
    assert response.status_code == 302
    assert lines("access")[-1]["path"] == f"/entries/{entry.slug}/act"
    audit = lines("audit")[-1]
    assert audit["to_state"] == "in_review" and audit["actor_id"] == moderator.id
