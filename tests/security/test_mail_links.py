"""Links in mail, and every absolute URL, come from the public URL, never from the request's Host.

For every mail the site sends, a request naming a host the site does not serve (in Host, or in
X-Forwarded-Host through a proxy that forwards it) is answered 400 and sends and changes nothing,
and a request through another host the site does serve mails links to the public URL only.
"""

import logging
import re

import pytest
from sqlmodel import Session, select

from ideapankki import accounts, create_app, login
from ideapankki.models import Entry, EntryState, LoginAttempt, Role, User, utcnow
from ideapankki.web.database import ENGINE_KEY
from ideapankki import close_app

from clients import PASSWORD, ClosingClient
from factories import make_entry
from loopback_mail import smtp_inbox

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
    page = client.get(path if method == "POST" and not path.endswith("/act") else "/", base_url=ALIAS)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
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


# Every mail the site sends: who acts (None: anonymous), the request, and the state it needs.
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
}
SERVED = (200, 302, 429)  # 429: the guarded log-in's answer, which mails the link


def _state(session):
    session.expire_all()
    return (sorted(u.email for u in session.exec(select(User))), sorted((e.slug, e.state) for e in session.exec(select(Entry))))


@pytest.mark.parametrize("how", ["host", "forwarded"])
@pytest.mark.parametrize("mail", list(MAILS))
def test_a_hostile_host_gets_400_and_nothing_is_sent_or_changed(site, mail, how, caplog):
    app, box, session = site
    who, path, arrange = MAILS[mail]
    data = arrange(session)
    client = browser(app, who)
    before = _state(session)
    with caplog.at_level(logging.WARNING, logger="ideapankki.web.serving.public_url"):
        response = hostile(client, "POST", path, data, how)
    assert response.status_code == 400 and "refused a request for host 'attacker.example'" in caplog.text
    assert _state(session) == before
    assert box.messages == []
    assert send(client, "POST", path, data).status_code in SERVED  # the same request on a served host works
    assert box.messages, mail


@pytest.mark.parametrize("mail", list(MAILS))
def test_links_in_every_mail_use_only_the_public_url(site, mail):
    app, box, session = site
    who, path, arrange = MAILS[mail]
    data = arrange(session)
    response = send(browser(app, who), "POST", path, data)
    assert response.status_code in SERVED
    assert box.messages, mail
    for message in box.messages:
        body = message.get_body().get_content()
        links = re.findall(r"\w+://\S+", body)
        assert links and all(link.startswith(PUBLIC + "/") for link in links), (mail, body)
        assert "alias.example.fi" not in body and "localhost" not in body


@pytest.mark.parametrize("path", ["/sitemap.xml", "/robots.txt", "/feeds/entries.atom", "/api/v1/openapi.json",
                                  "/api/v1/entries", "/entries/julkaistu", "/?lang=sv"])
def test_every_absolute_url_is_built_from_the_public_url(site, path):
    app, _box, session = site
    make_entry(session, "julkaistu", state=EntryState.published)
    page = app.test_client().get(path, base_url=ALIAS)
    assert page.status_code == 200, path
    assert PUBLIC + "/" in page.text and "alias.example.fi" not in page.text, path
    assert app.test_client().get(path, headers={"Host": HOSTILE}).status_code == 400
