"""Registration to submission rights, as a person does it, with e-mail through a real SMTP server."""

import re

import pytest

from ideapankki import accounts, login
from ideapankki.models import Role, User
from sqlmodel import select

from clients import PASSWORD, log_in, post_form, sign_in



def register(client, email="maija@kajaani.fi", municipality="205", password=PASSWORD):
    return post_form(client, "/register", {"name": "Maija Meikäläinen", "email": email, "municipality": municipality,
                                           "password": password, "confirm": password})


def test_register_confirm_approve_and_submit_rights(client, inbox, app_session, app):
    page = register(client)
    assert page.status_code == 200 and "Tarkista sähköpostisi" in page.text
    (message,) = inbox.messages
    assert message["To"] == "maija@kajaani.fi"
    assert message["Subject"] == "Vahvista sähköpostiosoitteesi Ideapankkiin"
    link = inbox.last_link()
    assert "Vahvistettu" not in client.get("/account").text  # not logged in: redirected
    assert log_in(client).status_code == 200  # unconfirmed: refused with a message
    confirmed = client.get(link)
    assert confirmed.status_code == 200 and "moderaattori hyväksyy" in confirmed.text
    assert log_in(client).status_code == 302
    assert "Odottaa, että moderaattori hyväksyy jäsenyytesi." in client.get("/account").text

    moderator_client = app.test_client()
    accounts.add_user(app_session, email="mod@kuntaliitto.fi", role=Role.moderator, password=PASSWORD)
    app_session.commit()
    sign_in(moderator_client, "mod@kuntaliitto.fi")
    queue = moderator_client.get("/admin/memberships").text
    assert "maija@kajaani.fi" in queue and "Kajaani" in queue
    user_id = app_session.exec(select(User.id).where(User.email == "maija@kajaani.fi")).one()
    token = re.search(r'name="csrf_token" value="([^"]+)"', queue).group(1)
    approved = moderator_client.post(f"/admin/memberships/{user_id}/approve", data={"csrf_token": token})
    assert approved.status_code == 302
    assert "Voit lähettää merkintöjä." in client.get("/account").text


def test_registration_shows_field_errors_and_keeps_input(client, inbox):
    page = register(client, email="ei-osoite", password="lyhyt")
    assert page.status_code == 400
    assert 'aria-describedby="email-help email-error" aria-invalid="true"' in page.text
    assert 'value="ei-osoite"' in page.text and "Käytä vähintään 12 merkkiä." in page.text
    assert inbox.messages == []


def test_common_password_is_refused_with_a_reason(client, inbox):
    page = register(client, password="salasana12345", email="a@kajaani.fi")
    assert page.status_code == 400 and "liian yleinen" in page.text


def test_duplicate_registration_creates_nothing_and_tells_the_owner(client, inbox, app_session):
    register(client)
    page = register(client, password="toinen salalause kesällä")
    assert page.status_code == 200 and "Tarkista sähköpostisi" in page.text  # tests/security: same answer
    assert len(app_session.exec(select(User).where(User.email == "maija@kajaani.fi")).all()) == 1
    assert [m["Subject"] for m in inbox.messages] == [
        "Vahvista sähköpostiosoitteesi Ideapankkiin", "Joku yritti rekisteröityä osoitteellasi Ideapankkiin"]


def test_forms_without_csrf_token_are_refused(client):
    response = client.post("/register", data={"name": "x", "email": "a@b.fi", "municipality": "205",
                                              "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 400
    assert client.post("/login", data={"email": "a@b.fi", "password": PASSWORD}).status_code == 400


def test_login_sets_safe_cookies_and_regenerates_the_session(client, member):
    client.get("/login")
    before = client.get_cookie("session")
    response = log_in(client, remember=True)
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("session="))
    remember_cookie = next(c for c in cookies if c.startswith("remember_token="))
    for cookie in (session_cookie, remember_cookie):
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get_cookie("session").value != before.value


@pytest.mark.parametrize("target, expected", [
    ("/entries", "/entries"), ("https://evil.example/", "/"), ("//evil.example", "/"), ("/\\evil", "/"),
])
def test_login_next_accepts_only_same_site_paths(client, member, target, expected):
    response = log_in(client, next_url=target)
    assert response.headers["Location"] == expected


def test_logout_ends_every_session_and_the_remember_cookie(app, member):
    laptop, phone = app.test_client(), app.test_client()
    log_in(laptop)
    log_in(phone, remember=True)
    remembered = phone.get_cookie("remember_token").value
    token = re.search(r'name="csrf_token" value="([^"]+)"', laptop.get("/account").text).group(1)
    assert laptop.post("/logout", data={"csrf_token": token}).status_code == 302
    assert laptop.get("/account").status_code == 302
    assert phone.get("/account").status_code == 302  # the other device is out too
    thief = app.test_client()
    thief.set_cookie("remember_token", remembered)
    assert thief.get("/account").status_code == 302


def test_password_change_signs_other_devices_out(app, member):
    here, there = app.test_client(), app.test_client()
    sign_in(here)
    sign_in(there)
    response = post_form(here, "/account", {"current": PASSWORD, "password": "uusi pitkä salalause kahvilla",
                                            "confirm": "uusi pitkä salalause kahvilla"})
    assert response.status_code == 302
    assert here.get("/account").status_code == 200
    assert there.get("/account").status_code == 302


def test_password_reset_link_works_once(client, inbox, member):
    page = post_form(client, "/reset", {"email": "maija@kajaani.fi"})
    assert page.status_code == 200
    link = inbox.last_link()
    new = "vaihdettu salalause talvella"
    assert post_form(client, link, {"password": new, "confirm": new}).status_code == 302
    assert log_in(client, password=new).status_code == 302
    reused = client.get(link)
    assert reused.status_code == 400 and "ei ole enää voimassa" in reused.text


def test_reset_does_not_reveal_whether_an_account_exists(client, inbox, member):
    known = post_form(client, "/reset", {"email": "maija@kajaani.fi"}).text
    unknown = post_form(client, "/reset", {"email": "nobody@kajaani.fi"}).text
    assert len(inbox.messages) == 1
    assert known.replace("maija@kajaani.fi", "X") == unknown.replace("nobody@kajaani.fi", "X")


def test_login_is_throttled_and_answers_429(client, member):
    for _ in range(login.MAX_FAILURES_PER_ACCOUNT):
        assert log_in(client, password="väärä salasana aina").status_code == 200
    response = log_in(client)
    assert response.status_code == 429 and "Liian monta epäonnistunutta yritystä" in response.text


def test_moderation_pages_need_a_moderator(client, member):
    assert client.get("/admin/memberships").status_code == 302
    sign_in(client)
    assert client.get("/admin/memberships").status_code == 403


def test_mail_without_smtp_goes_to_the_instance_folder(app, client, monkeypatch):
    monkeypatch.delenv("IDEAPANKKI_SMTP_HOST", raising=False)
    register(client)
    (eml,) = (app.config["INSTANCE_DIR"] / "mail").glob("*.eml")
    assert b"Subject:" in eml.read_bytes()


def test_admin_changes_roles_but_never_removes_the_last_admin(app, app_session):
    admin = accounts.add_user(app_session, email="admin@kuntaliitto.fi", role=Role.admin, password=PASSWORD)
    member = accounts.add_user(app_session, email="m@kajaani.fi", role=Role.member, password=PASSWORD)
    app_session.commit()
    client = app.test_client()
    sign_in(client, "admin@kuntaliitto.fi")
    page = client.get("/admin/users").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post(f"/admin/users/{member.id}", data={"csrf_token": token, "role": "moderator",
                                                          "active": "1"}).status_code == 302
    app_session.expire_all()
    assert app_session.get(User, member.id).role == "moderator"
    client.post(f"/admin/users/{admin.id}", data={"csrf_token": token, "role": "member", "active": "1"})
    app_session.expire_all()
    assert app_session.get(User, admin.id).role == "admin"


def test_admin_sets_automatic_approval_domain(app, app_session):
    accounts.add_user(app_session, email="admin@kuntaliitto.fi", role=Role.admin, password=PASSWORD)
    org = accounts.find_or_create_organisation(app_session, "Kajaani")
    app_session.commit()
    client = app.test_client()
    sign_in(client, "admin@kuntaliitto.fi")
    page = client.get("/admin/organisations").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post(f"/admin/organisations/{org.id}", data={"csrf_token": token, "domain": "@Kajaani.fi"}
                       ).status_code == 302
    bad = client.post(f"/admin/organisations/{org.id}", data={"csrf_token": token, "domain": "not a domain"})
    assert bad.status_code == 303
    app_session.expire_all()
    assert app_session.get(type(org), org.id).auto_approve_domain == "kajaani.fi"


def test_moderators_cannot_administer_users(app, app_session):
    accounts.add_user(app_session, email="mod@kuntaliitto.fi", role=Role.moderator, password=PASSWORD)
    app_session.commit()
    client = app.test_client()
    sign_in(client, "mod@kuntaliitto.fi")
    assert client.get("/admin/users").status_code == 403
    assert client.get("/admin/organisations").status_code == 403
