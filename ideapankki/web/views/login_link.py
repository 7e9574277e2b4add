"""One-time log-in links: the second factor of a guarded log-in (see ideapankki/login_throttle.py).

When a log-in is guarded, the right password gets a link mailed to the owner instead of a
session. The mail goes out after the answer has been sent, so the answer's timing does not
tell a guesser that the password was right. Opening the link shows a button (mail scanners
that fetch links do not log anyone in); pressing it logs in once.
"""

from __future__ import annotations

import logging

from flask import Blueprint, abort, after_this_request, current_app, redirect, render_template, request, url_for
from flask_babel import force_locale, gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ... import limits, login, login_throttle
from ...accounts import AccountError
from ...models import User
from ..database import db_session
from ..extensions import start_session
from ..notify import deliver_after_response, send_mail
from ..redirects import safe_next

bp = Blueprint("login_link", __name__)
log = logging.getLogger("ideapankki.login_link")


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="ideapankki-login-link")


def mail_link(user: User, remember: bool, next_url: str | None) -> None:
    """Mail USER a one-time log-in link, after this request's answer has gone out.

    Someone who knows the password could ask again and again: the links have a mail limit of
    their own (limits.check_mail_rate, counted apart from resets and registrations, so that a
    stranger's reset requests cannot keep the owner out), and past it none is sent. The answer
    is the guarded one either way, so the limit tells nothing.
    """
    session = db_session()
    try:
        limits.check_mail_rate(session, f"login-link:{user.email}", request.remote_addr or "unknown",
                               current_app.config["MAILS_PER_ADDRESS"], current_app.config["MAILS_PER_CLIENT"])
    except limits.TooManyMails:
        session.rollback()
        log.warning("log-in link not mailed: the mail limit of the account or client is reached")
        return
    token = _serializer().dumps({"u": user.id, "s": login_throttle.link_state(user), "r": bool(remember),
                                 "n": safe_next(next_url)})
    with force_locale(user.language):
        to, subject, body = user.email, _("Your Ideapankki log-in link"), _(
            "Hello %(name)s,\n\nthe right password for your Ideapankki account was entered after several failed "
            "attempts, so for safety the log-in needs this link as well:\n%(link)s\n\n"
            "The link works once and for %(minutes)s minutes. If it was not you, someone knows your password: "
            "change it.", name=user.name, link=url_for("login_link.use", token=token, _external=True),
            minutes=login_throttle.LINK_MAX_AGE_S // 60)
    send_mail(to, subject, body)  # queued in the outbox
    session.commit()  # the guarded answer is a 429, and the request's end commits only answers below 400

    @after_this_request
    def send_after_answer(response):
        deliver_after_response(session, response)
        return response


def _load(token: str) -> dict | None:
    try:
        data = _serializer().loads(token, max_age=login_throttle.LINK_MAX_AGE_S)
    except (BadSignature, SignatureExpired):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("u"), int) else None


@bp.route("/login/link/<token>", methods=["GET", "POST"])
def use(token: str):
    """Show the log-in button of a mailed link (GET); log in once with it (POST)."""
    data = _load(token)
    user = db_session().get(User, data["u"]) if data else None
    if user is None or not user.is_active or login_throttle.link_state(user) != data.get("s"):
        return render_template("auth/message.html", title=_("The link is no longer valid"), message=_(
            "Log-in links work once and for %(minutes)s minutes. Log in again to get a new one.",
            minutes=login_throttle.LINK_MAX_AGE_S // 60), login_link=True), 400
    if request.method == "GET":
        return render_template("auth/login_link.html", email=user.email)
    try:
        login.log_in_by_link(db_session(), user.id, data["s"])
    except AccountError:
        abort(400)

    start_session(user, bool(data.get("r")))
    return redirect(safe_next(data.get("n")))
