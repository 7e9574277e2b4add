"""Links in mail, and every absolute URL, come from the public URL, never from the request's Host.

For every mail the site sends, a request naming a host the site does not serve (in Host, or in
X-Forwarded-Host through a proxy that forwards it) is answered 400 and sends and changes nothing,
and a request through another host the site does serve mails links to the public URL only. Every
link is absolute, opens a page of the site (a log-in page at worst, never a 404 or an error), and
carries no secret of the request: neither its CSRF token nor the recipient's address. The mails a
command sends (follow digests, the moderators' digest) are built in the command's own context.
"""

import logging
import re
from datetime import date

import pytest
from sqlmodel import Session, select

from itsdangerous import URLSafeTimedSerializer

from ideapankki import accounts, create_app, login, moderator_notices, reports
from ideapankki.models import Entry, EntryState, LoginAttempt, Role, User, utcnow
from ideapankki.web import digest_command, notify_command
from ideapankki.web.command_app import site_app
from ideapankki.web.database import ENGINE_KEY
from ideapankki import close_app

from clients import PASSWORD, ClosingClient
from factories import make_entry
from loopback_mail import smtp_inbox
from notify_world import follow, publish

PUBLIC = "https://ideapankki.example.fi"
ALIAS = "http://alias.example.fi"  # also served (IDEAPANKKI_TRUSTED_HOSTS), but not the public URL
HOSTILE = "attacker.example"


@pytest.fixture
def site(tmp_path, databases, monkeypatch):
    monkeypatch.setenv("IDEAPANKKI_TRUSTED_HOSTS", "alias.example.fi")
    monkeypatch.setenv("IDEAPANKKI_PROXY_FIX", "x_for=1,x_proto=1,x_host=1")  # a proxy that forwards the host
    app = create_app({"TESTING": True, "INSTANCE_DIR": tmp_path / "instance", "DATABASE_URL": databases.fresh(),
                      "SECRET_KEY": "test-secret", "PUBLIC_URL": PUBLIC})
    app.test_client_class = ClosingClient
    with smtp_inbox(app, tmp_path / "mail") as box, Session(app.extensions[ENGINE_KEY],
                                                            expire_on_commit=False) as session:
        org = accounts.find_or_create_organisation(session, "Kajaani")
        accounts.add_user(session, email="maija@kajaani.fi", role=Role.member, password=PASSWORD, organisation=org)
        accounts.add_user(session, email="mod@kuntaliitto.fi", role=Role.moderator, password=PASSWORD)
        session.commit()
        yield app, box, session
    close_app(app)


def browser(app, email=None):
    """A client on the alias host, logged in as EMAIL."""
    client = app.test_client()
    if email:
        assert send(client, "POST", "/login", {"email": email, "password": PASSWORD}).status_code == 302
    return client


def send(client, method, path, data=None, **headers):
    """METHOD PATH on the alias host with the form's CSRF token (read from PATH's page or the front page)."""
    token = None
    for page in ([path] if method == "POST" and not path.endswith("/act") else []) + ["/"]:
        token = token or re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(page, base_url=ALIAS).text)
    if method == "GET":
        return client.open(path, method=method, base_url=ALIAS, headers=headers)
    data = {**(data or {}), **({"csrf_token": token.group(1)} if token else {})}
    return client.open(path, method=method, data=data, base_url=ALIAS, headers=headers)


def hostile(client, method, path, data, how):
    """The same request, with its cookies, naming the attacker's host in HOW ("host" or "forwarded")."""
    cookies = "; ".join(f"{c.key}={c.value}" for c in client._cookies.values())
    headers = {"Host": HOSTILE} if how == "host" else {"X-Forwarded-Host": HOSTILE}
    return send(client, method, path, data, Cookie=cookies, **headers)


def entry_of(session, slug, state, author="maija@kajaani.fi"):
    user = accounts.get_by_email(session, author)
    entry = make_entry(session, slug, state=state, commit=False)
    entry.author_id, entry.organisation_id = user.id, user.organisation_id
    session.commit()
    return entry


def register(email):
    return {"name": "Matti Virtanen", "email": email, "municipality": "205", "password": PASSWORD,
            "confirm": PASSWORD}


def guarded(session):
    """Strangers' failures on Maija's account: her right password now gets a log-in link by mail."""
    session.add_all(LoginAttempt(account="maija@kajaani.fi", address="203.0.113.9", at=utcnow())
                    for _ in range(login.MAX_FAILURES_PER_ACCOUNT))
    session.commit()
    return {"email": "maija@kajaani.fi", "password": PASSWORD}


def published_by_maija(session, slug="julkaistu-kokeilu"):
    return entry_of(session, slug, EntryState.published)


def waiting_member(session, email="matti@kajaani.fi"):
    """A member of Kajaani who registered and (unless CONFIRMED is False) confirmed the address."""
    user = accounts.register(session, email=email, name="Matti Virtanen", password=PASSWORD,
                             organisation=accounts.find_or_create_organisation(session, "Kajaani"))
    session.commit()
    return user


def approve(session):
    user = waiting_member(session)
    accounts.confirm_email(session, user)
    session.commit()
    return {"_path": f"/admin/memberships/{user.id}/approve"}


def confirm_link(session):
    """Matti's confirmation link: opening it tells the moderators who want word at once."""
    user = waiting_member(session)
    token = URLSafeTimedSerializer("test-secret", salt="ideapankki-confirm").dumps({"u": user.id, "e": user.email})
    return {"_path": f"/confirm/{token}", "_method": "GET"}


def report_to_answer(session):
    entry = published_by_maija(session)
    report = reports.submit(session, entry, "outdated", "Vanhentunut.", "lukija@example.fi")
    session.commit()
    return {"_path": f"/moderation/reports/{report.id}", "action": "none", "reply": "Kiitos, korjattu."}


def adoption_by_oulu(session):
    published_by_maija(session)
    accounts.add_user(session, email="liisa@ouka.fi", role=Role.member, password=PASSWORD,
                      organisation=accounts.find_or_create_organisation(session, "Oulu"))
    session.commit()
    return {"_path": "/entries/julkaistu-kokeilu/adoption", "status": "interested"}


# Every mail the site sends on a request: who acts (None: anonymous), the request, and the state it
# needs (ARRANGE returns the form; `_path` and `_method` in it, when given, name the request).
MAILS = {
    "confirmation": (None, "/register", lambda s: register("matti@kajaani.fi")),
    "already registered": (None, "/register", lambda s: register("maija@kajaani.fi")),
    "password reset": (None, "/reset", lambda s: {"email": "maija@kajaani.fi"}),
    "new in the queue": ("maija@kajaani.fi", "/entries/luonnos/act",
                         lambda s: entry_of(s, "luonnos", EntryState.draft) and {"action": "submit"}),
    "published": ("mod@kuntaliitto.fi", "/entries/tarkastus/act",
                  lambda s: entry_of(s, "tarkastus", EntryState.in_review) and {"action": "publish"}),
    "returned": ("mod@kuntaliitto.fi", "/entries/tarkastus/act",
                 lambda s: entry_of(s, "tarkastus", EntryState.in_review) and {"action": "return", "comment": "Täydennä."}),
    "rejected": ("mod@kuntaliitto.fi", "/entries/tarkastus/act",
                 lambda s: entry_of(s, "tarkastus", EntryState.in_review) and {"action": "reject", "comment": "Ei.", "confirmed": "yes"}),
    "log-in link": (None, "/login", guarded),
    "follow confirmation": (None, "/follow", lambda s: {"kind": "all", "value": "", "email": "lukija@example.fi",
                                                        "frequency": "daily", "language": "fi"}),
    "report reply": ("mod@kuntaliitto.fi", None, report_to_answer),
    "adoption notice to the author": ("liisa@ouka.fi", None, adoption_by_oulu),
    "membership approved": ("mod@kuntaliitto.fi", None, approve),
    "membership waiting (to moderators)": (None, None, confirm_link),
}
SERVED = (200, 302, 429)  # 429: the guarded log-in's answer, which mails the link


def request_of(mail, session):
    """(method, path, form) of MAIL's request, its state arranged in SESSION."""
    _who, path, arrange = MAILS[mail]
    data = dict(arrange(session) or {})
    return data.pop("_method", "POST"), data.pop("_path", path), data


def check_links(app, message):
    """MESSAGE's links: absolute, on the public URL, opening a page, carrying no secret."""
    body = message.get_body().get_content()
    links = re.findall(r"\w+://\S+", body)
    assert links and all(link.startswith(PUBLIC + "/") for link in links), body
    assert "alias.example.fi" not in body and "localhost" not in body
    for link in links:
        assert message["To"] not in link and "csrf" not in link.lower(), link
        path = link[len(PUBLIC):].split("#")[0]
        status = app.test_client().get(path, base_url=ALIAS).status_code
        assert status in (200, 302, 303), (link, status)


def _state(session):
    session.expire_all()
    return (sorted(u.email for u in session.exec(select(User))), sorted((e.slug, e.state) for e in session.exec(select(Entry))))


@pytest.mark.parametrize("mail", list(MAILS))
def test_a_hostile_host_gets_400_and_nothing_is_sent_and_the_mail_links_only_the_public_url(site, mail, caplog):
    """MAIL's request naming the attacker's host, in Host and then in X-Forwarded-Host: 400, nothing
    changed, nothing sent; the same request on a served host sends the mail, whose links all open the
    public URL. (One site for the three requests: each refusal is checked to have left the state as
    arranged, so the next request meets the same state a site of its own would.)"""
    app, box, session = site
    method, path, data = request_of(mail, session)
    client = browser(app, MAILS[mail][0])
    before = _state(session)
    for how in ("host", "forwarded"):
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="ideapankki.web.serving.public_url"):
            response = hostile(client, method, path, data, how)
        assert response.status_code == 400 and "refused a request for host 'attacker.example'" in caplog.text, how
        assert _state(session) == before, how
        assert box.messages == [], how
    assert send(client, method, path, data).status_code in SERVED  # the same request on a served host works
    assert box.messages, mail
    for message in box.messages:
        check_links(app, message)


def follower_news(app, frequency):
    follow(app, "lukija@example.fi", frequency=frequency)
    publish(app, "uutinen", themes=["asuminen"])
    return notify_command.run


def moderator_news(app):
    with Session(app.extensions[ENGINE_KEY]) as session:
        moderator_notices.set_preference(session, accounts.get_by_email(session, "mod@kuntaliitto.fi"), "daily")
        entry_of(session, "odottaa", EntryState.submitted)
        waiting_member(session).email_confirmed_at = utcnow()
        session.commit()
    return lambda command_app: digest_command.run(command_app, date.today())


# The mails a command sends: what it needs, and the command's run(app).
COMMAND_MAILS = {
    "follow digest, immediate": lambda app: follower_news(app, "immediate"),
    "follow digest, daily": lambda app: follower_news(app, "daily"),
    "moderators' digest": moderator_news,
}


@pytest.mark.parametrize("mail", list(COMMAND_MAILS))
def test_links_in_the_mail_of_commands_use_only_the_public_url(site, mail, monkeypatch, tmp_path):
    app, box, _session = site
    run = COMMAND_MAILS[mail](app)
    for name, value in {"INSTANCE": str(app.config["INSTANCE_DIR"]), "DATABASE_URL": app.config["DATABASE_URL"],
                        "SECRET_KEY": "test-secret", "PUBLIC_URL": PUBLIC, "HTTPS": "1", "SMTP_HOST": "127.0.0.1",
                        "SMTP_PORT": str(app.config["MAIL_SETTINGS"].port)}.items():
        monkeypatch.setenv(f"IDEAPANKKI_{name}", value)
    with site_app() as command_app:
        run(command_app)
    assert box.messages, mail
    for message in box.messages:
        check_links(app, message)


ABSOLUTE = ["/sitemap.xml", "/robots.txt", "/feeds/entries.atom", "/api/v1/openapi.json", "/api/v1/entries",
            "/entries/julkaistu", "/?lang=sv"]


def test_every_absolute_url_is_built_from_the_public_url(site):
    """Each page that prints absolute URLs, on one site (the pages only read)."""
    app, _box, session = site
    make_entry(session, "julkaistu", state=EntryState.published)
    for path in ABSOLUTE:
        page = app.test_client().get(path, base_url=ALIAS)
        assert page.status_code == 200, path
        assert PUBLIC + "/" in page.text and "alias.example.fi" not in page.text, path
        assert app.test_client().get(path, headers={"Host": HOSTILE}).status_code == 400, path
