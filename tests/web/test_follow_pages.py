"""Follow by e-mail through the pages: ask, confirm from the mailed link, manage, leave (RFC 8058)."""

import re
from datetime import timedelta

from sqlmodel import select

from ideapankki import accounts, following
from ideapankki.models import EntryState, Follower, Role, Subscription, utcnow

from clients import PASSWORD, post_form, sign_in
from factories import make_entry


def _ask(client, kind="entry", value="kokeilu", email="lukija@example.fi", **extra):
    query = f"/follow?kind={kind}&value={value}"
    return post_form(client, query, {"kind": kind, "value": value, "email": email, "frequency": "daily",
                                     "language": "sv", **extra})


def _links(message) -> list[str]:
    return re.findall(r"http://localhost(/\S+)", message.get_body().get_content())


def test_ask_confirm_manage_and_leave_with_one_click(client, inbox, app_session):
    make_entry(app_session, "kokeilu")
    page = client.get("/entries/kokeilu")
    assert "/follow?kind=entry&amp;value=kokeilu" in page.text
    answer = _ask(client)
    assert answer.status_code == 200 and "lukija@example.fi" in answer.text
    (mail,) = inbox.messages
    assert mail["To"] == "lukija@example.fi" and "Ideapankki" in mail["Subject"]
    assert "Otsikko kokeilu" in mail.get_body().get_content()  # says what is followed, in Swedish
    follower = app_session.exec(select(Follower)).one()
    assert follower.confirmed_at is None and follower.language == "sv"
    token = follower.token

    (confirm_link,) = _links(mail)
    assert client.get(confirm_link).status_code == 200  # a page with a button: opening confirms nothing
    app_session.expire_all()
    assert app_session.exec(select(Subscription)).one().confirmed_at is None
    done = post_form(client, confirm_link, {})
    assert done.status_code == 302 and done.location.endswith(f"/follow/manage/{follower.token}")
    manage = client.get(done.location)
    assert "Otsikko kokeilu" in manage.text and "lukija@example.fi" in manage.text
    assert client.get(confirm_link).status_code == 404  # used

    # One click from a mail client: a POST without a CSRF token, the token in the address is the proof.
    assert "List-Unsubscribe=One-Click" not in client.get(f"/follow/unsubscribe/{token}").text  # GET: a page
    unsubscribe = client.post(f"/follow/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    assert unsubscribe.status_code == 200
    app_session.expire_all()
    assert app_session.exec(select(Follower)).all() == [] and app_session.exec(select(Subscription)).all() == []
    assert client.get(f"/follow/manage/{token}").status_code == 404


def test_removing_the_last_subscription_deletes_the_address(client, inbox, app_session):
    make_entry(app_session, "kokeilu")
    _ask(client)
    post_form(client, _links(inbox.messages[-1])[0], {})
    _ask(client, kind="theme", value="asuminen")
    post_form(client, _links(inbox.messages[-1])[0], {})
    follower = app_session.exec(select(Follower)).one()
    follower_id = follower.id
    subscriptions = app_session.exec(select(Subscription).order_by(Subscription.id)).all()
    assert len(subscriptions) == 2 and all(s.confirmed_at for s in subscriptions)
    manage = f"/follow/manage/{follower.token}"
    assert post_form(client, manage, {"frequency": "weekly", "language": "en"}).status_code == 302
    app_session.expire_all()
    assert app_session.get(Follower, follower_id).frequency == "weekly"
    refused = post_form(client, manage, {"frequency": "hourly", "language": "en"})
    assert refused.status_code == 400 and 'aria-invalid="true"' in refused.text
    remove = f"{manage}/remove/{subscriptions[0].id}"
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(manage).text).group(1)
    assert client.post(remove, data={"csrf_token": token}).status_code == 302
    app_session.expire_all()
    assert app_session.get(Follower, follower_id) is not None
    last = f"{manage}/remove/{subscriptions[1].id}"
    assert client.post(last, data={"csrf_token": token}).status_code == 200
    app_session.expire_all()
    assert app_session.exec(select(Follower)).all() == []


def test_a_robot_filling_the_honeypot_gets_the_same_answer_and_nothing_happens(client, inbox, app_session):
    answer = _ask(client, kind="all", value="", website="http://spam.example")
    assert answer.status_code == 200 and "lukija@example.fi" in answer.text
    assert inbox.messages == [] and app_session.exec(select(Follower)).all() == []


def test_asking_is_limited_per_address(app, client, inbox):
    app.config["MAILS_PER_ADDRESS"] = 2
    assert [_ask(client, kind="all", value="").status_code for _ in range(3)] == [200, 200, 429]
    assert len(inbox.messages) == 2


def test_what_cannot_be_followed_is_404(client, app_session):
    make_entry(app_session, "luonnos", state=EntryState.draft)
    for query in ("kind=entry&value=luonnos", "kind=entry&value=ei-ole", "kind=theme&value=x", "kind=nothing",
                  "kind=municipality&value=999", "kind=search&value=theme%3Dx"):
        assert client.get(f"/follow?{query}").status_code == 404, query


def test_bad_address_is_an_error_at_the_field(client, inbox):
    answer = _ask(client, kind="all", value="", email="not an address")
    assert answer.status_code == 400 and 'aria-invalid="true"' in answer.text
    assert inbox.messages == []


def test_a_member_follows_from_their_own_confirmed_address_without_a_mail(client, inbox, app_session):
    accounts.add_user(app_session, email="maija@kajaani.fi", role=Role.member, password=PASSWORD)
    app_session.commit()
    sign_in(client)
    form = client.get("/follow?kind=all")
    assert 'value="maija@kajaani.fi"' in form.text
    answer = _ask(client, kind="all", value="", email="maija@kajaani.fi")
    assert answer.status_code == 302 and inbox.messages == []
    assert "maija@kajaani.fi" in client.get("/account").text
    assert app_session.exec(select(Subscription)).one().confirmed_at is not None


def test_unconfirmed_requests_expire_with_their_address(app_session):
    follower, _subscription = following.subscribe(app_session, "a@example.fi", "all", "", "daily", "fi",
                                                  now=utcnow() - timedelta(hours=49))
    app_session.commit()
    assert following.expire(app_session) == 1
    app_session.commit()
    assert app_session.exec(select(Follower)).all() == []
