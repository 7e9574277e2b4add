"""Mail from the site goes out after its change commits, and never when the commit fails."""

import sqlalchemy as sa
from sqlmodel import Session, select

from ideapankki import accounts, outbox
from ideapankki.models import Entry, EntryState, OutboxMail, Role

from ideapankki.web.database import ENGINE_KEY

from clients import PASSWORD, sign_in
from factories import make_entry
from loopback_mail import free_port, mail_settings, smtp_inbox


def _arrange(app_session):
    org = accounts.find_or_create_organisation(app_session, "Kajaani")
    member = accounts.add_user(app_session, email="maija@kajaani.fi", role=Role.member, password=PASSWORD,
                               organisation=org)
    accounts.add_user(app_session, email="mod@kuntaliitto.fi", role=Role.moderator, password=PASSWORD)
    entry = make_entry(app_session, "luonnos", state=EntryState.draft, commit=False)
    entry.author_id, entry.organisation_id = member.id, org.id
    app_session.commit()
    return entry


def _submit(client):
    page = client.get("/moderation/luonnos", follow_redirects=True)  # the author's status page
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    return client.post("/entries/luonnos/act", data={"csrf_token": token, "action": "submit"})


def test_a_submission_mails_the_moderators_once_it_has_committed(client, inbox, app_session):
    _arrange(app_session)
    sign_in(client)
    assert _submit(client).status_code == 302
    assert [m["To"] for m in inbox.messages] == ["mod@kuntaliitto.fi"]
    assert app_session.exec(select(OutboxMail)).all() == []  # sent, so not kept


def test_a_failed_commit_sends_nothing_and_keeps_nothing(app, client, inbox, app_session):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer 500 as in production
    _arrange(app_session)
    sign_in(client)

    def fail_when_mail_is_queued(session):
        if session.info.get(outbox.QUEUED_KEY):
            raise sa.exc.OperationalError("COMMIT", {}, Exception("disk I/O error"))

    sa.event.listen(Session, "before_commit", fail_when_mail_is_queued)
    try:
        response = _submit(client)
    finally:
        sa.event.remove(Session, "before_commit", fail_when_mail_is_queued)
    assert response.status_code == 500
    assert inbox.messages == []
    app_session.expire_all()
    assert app_session.exec(select(Entry.state)).one() == "draft"
    assert app_session.exec(select(OutboxMail)).all() == []
    assert _submit(client).status_code == 302 and len(inbox.messages) == 1  # and works once the disk does


def test_with_the_smtp_server_down_the_change_is_kept_and_the_mail_waits(app, client, app_session, tmp_path,
                                                                           caplog):
    _arrange(app_session)
    app.config["MAIL_SETTINGS"] = mail_settings(free_port(), tmp_path)  # nothing listens
    sign_in(client)
    assert _submit(client).status_code == 302
    assert "not sent" in caplog.text
    app_session.expire_all()
    assert app_session.exec(select(Entry.state)).one() == "submitted"
    (waiting,) = app_session.exec(select(OutboxMail)).all()
    assert waiting.recipient == "mod@kuntaliitto.fi" and waiting.last_error
    with smtp_inbox(app, tmp_path) as box:
        assert outbox.deliver(app.extensions[ENGINE_KEY], app.config["MAIL_SETTINGS"]) == 1
    assert [m["To"] for m in box.messages] == ["mod@kuntaliitto.fi"]
