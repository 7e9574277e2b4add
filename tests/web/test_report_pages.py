"""Report an error: any reader, no account; moderators resolve with an action and a reply; the
reporter's address is deleted once resolved; personal data first; honeypot and a limit per client."""

import re

from sqlmodel import select

from ideapankki import accounts
from ideapankki.models import Entry, EntryState, Report, Role

from clients import PASSWORD, post_form, sign_in
from factories import make_entry


def _arrange(app_session):
    make_entry(app_session, "kokeilu")
    accounts.add_user(app_session, email="mod@kuntaliitto.fi", role=Role.moderator, password=PASSWORD)
    app_session.commit()


def _report(client, reason="factual_error", email="lukija@example.fi", **extra):
    return post_form(client, "/entries/kokeilu/report", {"reason": reason, "text": "Vuosi on väärin: 2021.",
                                                          "email": email, **extra})


def test_a_reader_reports_and_a_moderator_resolves_with_a_reply(app, client, inbox, app_session):
    _arrange(app_session)
    assert "/entries/kokeilu/report" in client.get("/entries/kokeilu").text
    assert _report(client).status_code == 200
    _report(client, reason="personal_data", email="")
    moderator = app.test_client()
    sign_in(moderator, "mod@kuntaliitto.fi")
    queue = moderator.get("/moderation/reports").text
    assert queue.index("Henkilötietoja, joiden") < queue.index("Asiavirhe")  # personal data first
    assert re.search(r'class="nav-count">2<', queue)
    first = app_session.exec(select(Report).where(Report.reason == "factual_error")).one()
    token = re.search(r'name="csrf_token" value="([^"]+)"', queue).group(1)
    done = moderator.post(f"/moderation/reports/{first.id}", data={"csrf_token": token, "action": "edit",
                                                                   "reply": "Korjattu, kiitos!"})
    assert done.status_code == 302
    (reply,) = [m for m in inbox.messages if m["To"] == "lukija@example.fi"]
    assert "Korjattu, kiitos!" in reply.get_body().get_content()
    app_session.expire_all()
    resolved = app_session.get(Report, first.id)
    assert resolved.email is None and resolved.action == "edit" and resolved.replied
    assert re.search(r'class="nav-count">1<', moderator.get("/moderation/reports").text)


def test_archiving_from_a_report_takes_the_entry_down(app, client, app_session):
    _arrange(app_session)
    _report(client, reason="personal_data", email="")
    moderator = app.test_client()
    sign_in(moderator, "mod@kuntaliitto.fi")
    report = app_session.exec(select(Report)).one()
    token = re.search(r'name="csrf_token" value="([^"]+)"', moderator.get("/moderation/reports").text).group(1)
    assert moderator.post(f"/moderation/reports/{report.id}", data={"csrf_token": token,
                                                                    "action": "archive"}).status_code == 302
    app_session.expire_all()
    assert app_session.exec(select(Entry)).one().state == EntryState.archived.value
    assert client.get("/entries/kokeilu").status_code == 404


def test_robots_and_floods_and_bad_input(app, client, app_session):
    _arrange(app_session)
    assert _report(client, website="http://spam.example").status_code == 200  # the honeypot: thanks, nothing kept
    assert app_session.exec(select(Report)).all() == []
    bad = post_form(client, "/entries/kokeilu/report", {"reason": "", "text": "", "email": "not an address"})
    assert bad.status_code == 400 and bad.text.count('aria-invalid="true"') >= 3
    app.config["REPORTS_PER_CLIENT"] = 2
    assert [_report(client).status_code for _ in range(3)] == [200, 200, 429]
    assert len(app_session.exec(select(Report)).all()) == 2


def test_only_moderators_see_the_queue_and_only_published_entries_can_be_reported(app, client, app_session):
    _arrange(app_session)
    make_entry(app_session, "luonnos", state=EntryState.draft)
    assert client.get("/entries/luonnos/report").status_code == 404
    assert client.get("/moderation/reports").status_code in (302, 401)
    accounts.add_user(app_session, email="maija@kajaani.fi", role=Role.member, password=PASSWORD)
    app_session.commit()
    sign_in(client)
    assert client.get("/moderation/reports").status_code == 403
