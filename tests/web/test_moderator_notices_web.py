"""Notices by mail (real SMTP on loopback): approved memberships, waiting memberships and submissions for
moderators who want word at once, the daily digest command, and the counts in a moderator's header."""

import re
from datetime import date

import pytest
from sqlmodel import select

from ideapankki import accounts, moderator_notices
from ideapankki.models import EntryState, Role, User
from ideapankki.web import digest_command

from clients import PASSWORD, post_form, sign_in
from factories import make_entry
from test_accounts_web import register


@pytest.fixture
def moderators(app, app_session):
    """A moderator who wants mail at once and an admin who chose the daily digest."""
    accounts.add_user(app_session, email="heti@kuntaliitto.fi", role=Role.moderator, password=PASSWORD, name="Heti")
    daily = accounts.add_user(app_session, email="paiva@kuntaliitto.fi", role=Role.admin, password=PASSWORD,
                              name="Päivä")
    moderator_notices.set_preference(app_session, daily, "daily")
    app_session.commit()
    client = app.test_client()
    sign_in(client, "heti@kuntaliitto.fi")
    return client


def links(message) -> list[str]:
    return re.findall(r"http://localhost(/\S*)", message.get_body().get_content())


def test_membership_mails_go_to_moderators_at_once_and_to_the_approved_member(app, client, inbox, moderators,
                                                                              app_session):
    register(client)
    confirm = inbox.last_link()
    client.get(confirm)
    client.get(confirm)  # a second visit tells nobody again
    assert len(inbox.messages) == 2
    told = inbox.messages[-1]
    assert told["To"] == "heti@kuntaliitto.fi" and "Maija Meikäläinen" in told["Subject"]
    assert links(told) == ["/admin/memberships"]
    assert not any(m["To"] == "paiva@kuntaliitto.fi" for m in inbox.messages)  # the digest tells her
    page = moderators.get("/admin/memberships")
    assert re.search(r'Jäsenyydet <span class="nav-count">1<span class="visually-hidden"> odottaa hyväksyntää', page.text)
    user = app_session.exec(select(User).where(User.email == "maija@kajaani.fi")).one()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    assert moderators.post(f"/admin/memberships/{user.id}/approve", data={"csrf_token": token}).status_code == 302
    approved = inbox.messages[-1]
    assert approved["To"] == "maija@kajaani.fi" and "hyväksytty" in approved["Subject"]
    assert links(approved) == ["/submit"]
    sent = len(inbox.messages)
    moderators.post(f"/admin/memberships/{user.id}/approve", data={"csrf_token": token})
    assert len(inbox.messages) == sent  # approved once, told once


def test_a_submission_is_mailed_at_once_to_those_who_want_it_and_counted_in_the_header(app, inbox, moderators,
                                                                                       app_session):
    member = accounts.add_user(app_session, email="maija@kajaani.fi", role=Role.member, password=PASSWORD,
                               organisation=accounts.find_or_create_organisation(app_session, "Kajaani"))
    app_session.commit()
    client = app.test_client()
    sign_in(client, member.email)
    sent = post_form(client, "/new/idea", {"title": "Kirjastoauto kouluille", "summary": "Kesällä.", "language": "fi",
                                           "do": "submit"})
    assert sent.status_code == 302
    (told,) = [m for m in inbox.messages if "Kirjastoauto" in m["Subject"]]
    assert told["To"] == "heti@kuntaliitto.fi" and links(told)[0].startswith("/moderation/")
    assert re.search(r'Moderointi <span class="nav-count">1<span class="visually-hidden"> tarkastettavana',
                     moderators.get("/moderation").text)
    assert "nav-count" not in client.get("/my").text  # members see no counts


def test_a_moderator_chooses_the_daily_digest_on_the_account_page(app, moderators, app_session):
    page = moderators.get("/account")
    assert 'name="notices" value="daily"' in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    assert moderators.post("/account/notices", data={"csrf_token": token, "notices": "daily"}).status_code == 302
    app_session.expire_all()
    assert accounts.get_by_email(app_session, "heti@kuntaliitto.fi").moderator_notices == "daily"
    assert moderators.post("/account/notices", data={"csrf_token": token, "notices": "hourly"}).status_code == 400


def test_the_digest_goes_once_a_day_to_those_who_chose_it_and_only_when_something_waits(app, inbox, moderators,
                                                                                        app_session):
    today = date(2026, 12, 6)
    with app.test_request_context("/"):
        assert digest_command.run(app, today)["planned"] == 0  # nothing waits: no mail, the day not spent
    make_entry(app_session, "odottaa-tarkastusta", state=EntryState.submitted, title="Odottava kokeilu")
    with app.test_request_context("/"):
        counts = digest_command.run(app, today)
    assert (counts["planned"], counts["entries"], counts["sent"]) == (1, 1, 1)
    (digest,) = inbox.messages
    assert digest["To"] == "paiva@kuntaliitto.fi" and "Odottava kokeilu" in digest.get_body().get_content()
    assert links(digest) == ["/moderation/odottaa-tarkastusta", "/account"]
    with app.test_request_context("/"):
        assert digest_command.run(app, today)["planned"] == 0  # cron again the same day: nothing twice
    with app.test_request_context("/"):
        assert digest_command.run(app, date(2026, 12, 7))["planned"] == 1


APPROVED = {"fi": "Jäsenyytesi Ideapankissa on hyväksytty", "sv": "Ditt medlemskap i Ideapankki har godkänts",
            "en": "Your Ideapankki membership has been approved"}
RESET = {"fi": "Aseta uusi salasana Ideapankkiin", "sv": "Ange ett nytt lösenord för Ideapankki",
         "en": "Reset your Ideapankki password"}


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_account_mail_is_in_the_language_of_registration_and_of_the_account_page(
        app, client, inbox, moderators, app_session, language):
    page = post_form(client, f"/register?lang={language}", {
        "name": "Maija Meikäläinen", "email": "maija@kajaani.fi", "municipality": "205",
        "password": PASSWORD, "confirm": PASSWORD})
    assert page.status_code == 200
    user = app_session.exec(select(User).where(User.email == "maija@kajaani.fi")).one()
    assert user.language == language
    client.get(inbox.last_link())
    token = re.search(r'name="csrf_token" value="([^"]+)"', moderators.get("/admin/memberships").text).group(1)
    assert moderators.post(f"/admin/memberships/{user.id}/approve", data={"csrf_token": token}).status_code == 302
    assert inbox.messages[-1]["Subject"] == APPROVED[language]  # the moderator's UI is Finnish; the mail is not

    other = {"fi": "sv", "sv": "en", "en": "fi"}[language]  # changed on the account page
    sign_in(client, "maija@kajaani.fi")
    account = client.get("/account").text
    assert f'id="mail-language-{language}" name="language" value="{language}" checked' in account
    token = re.search(r'name="csrf_token" value="([^"]+)"', account).group(1)
    assert client.post("/account/language", data={"csrf_token": token, "language": other}).status_code == 302
    assert client.post("/account/language", data={"csrf_token": token, "language": "de"}).status_code == 400
    post_form(app.test_client(), "/reset?lang=fi", {"email": "maija@kajaani.fi"})
    assert inbox.messages[-1]["Subject"] == RESET[other]
