"""Registration, e-mail confirmation, log-in and log-out, password reset and change.

Registration and reset answer alike whether or not the address has an account (registration
mails the owner of a taken address instead), and the mail they ask for is limited per address
and per client (limits.check_mail_rate).
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale, get_locale, gettext as _
from flask_login import current_user, login_required, logout_user
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlmodel import Session

from ... import accounts, limits, login as logins, organisations
from ...db import reading
from ...models import User
from ..database import ENGINE_KEY, db_session
from ..extensions import login_manager, start_session
from ..forms import LoginForm, PasswordChangeForm, RegisterForm, ResetForm, ResetRequestForm
from ..redirects import safe_next
from .login_link import mail_link
from .. import moderator_mail
from ..organisation_choices import register_choices
from ..notify import send_mail

bp = Blueprint("auth", __name__)

CONFIRM_MAX_AGE_S = 3 * 24 * 3600
RESET_MAX_AGE_S = 3600
PASSWORD_MESSAGES = {
    "too_short": lambda: _("Use at least %(min)s characters.", min=accounts.MIN_PASSWORD_LENGTH),
    "too_common": lambda: _("This password is too common or easy to guess. Try a few unrelated words."),
}


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=f"ideapankki-{purpose}")


@login_manager.user_loader
def load_user(token: str) -> User | None:
    """Load the account of a session; a rotated session token signs old cookies out."""
    user_id, _sep, session_token = token.partition(":")
    if not user_id.isdigit():
        return None
    user = db_session().get(User, int(user_id))
    if user is None or not user.is_active or user.session_token != session_token:
        return None
    return user


@bp.route("/register", methods=["GET", "POST"])
def register():
    """Create an account: name, work e-mail, municipality, password; then confirm the e-mail."""
    form = RegisterForm()
    form.municipality.choices = register_choices(db_session())  # every kind of organisation, by kind
    if form.validate_on_submit():
        organisation = organisations.chosen(db_session(), form.municipality.data)
        if organisation is None:
            form.municipality.errors.append(_("Choose your organisation from the list."))
        else:
            try:
                user = accounts.register(db_session(), email=form.email.data, name=form.name.data,
                                         password=form.password.data, organisation=organisation,
                                         language=str(get_locale()))
            except accounts.AccountError as exc:
                if exc.code != "email_taken":
                    form.password.errors.append(PASSWORD_MESSAGES[exc.code]())
                    return render_template("auth/register.html", form=form), 400
                user = None
            # The same answer whether or not the address has an account; its owner hears which.
            limited = _mail_rate_limited(form, form.email.data)
            if limited:
                return render_template("auth/register.html", form=form), 429, limited
            if user is None:
                _send_already_registered(accounts.get_by_email(db_session(), form.email.data))
            else:
                _send_confirmation(user)
            return render_template("auth/message.html", title=_("Check your e-mail"), message=_(
                "We sent a confirmation link to %(email)s. Open it to activate your account.",
                email=accounts.normalise_email(form.email.data)))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/register.html", form=form), status


def _mail_rate_limited(form, address: str) -> dict | None:
    """Count this anonymous request that may mail ADDRESS (limits.check_mail_rate); when over a
    limit, add the form error and return the Retry-After header (the form keeps what was typed)."""
    try:
        limits.check_mail_rate(db_session(), address, request.remote_addr or "unknown",
                               current_app.config["MAILS_PER_ADDRESS"], current_app.config["MAILS_PER_CLIENT"])
    except limits.TooManyMails as exc:
        form.form_errors.append(_("Too many e-mail requests. Nothing was sent: try again in %(minutes)s minutes.",
                                  minutes=-(-exc.retry_after // 60)))
        return {"Retry-After": str(exc.retry_after)}
    return None


def _send_already_registered(user: User) -> None:
    with force_locale(user.language):  # the owner's language, not the stranger's
        _mail_already_registered(user)


def _mail_already_registered(user: User) -> None:
    send_mail(user.email, _("Someone tried to register with your address at Ideapankki"), _(
        "Hello %(name)s,\n\nsomeone tried to create a new Ideapankki account with your e-mail address. "
        "You already have an account. If it was you, log in:\n%(login)s\n\nor set a new password:\n%(reset)s"
        "\n\nIf it was not you, ignore this message: nothing was changed.",
        name=user.name, login=url_for("auth.login", _external=True), reset=url_for("auth.reset_request", _external=True)))


def _send_confirmation(user: User) -> None:
    token = _serializer("confirm").dumps({"u": user.id, "e": user.email})
    link = url_for("auth.confirm", token=token, _external=True)
    with force_locale(user.language):
        _mail_confirmation(user, link)


def _mail_confirmation(user: User, link: str) -> None:
    send_mail(user.email, _("Confirm your e-mail address for Ideapankki"), _(
        "Hello %(name)s,\n\nconfirm your e-mail address for Ideapankki by opening this link:\n%(link)s\n\n"
        "The link is valid for three days. If you did not register, ignore this message.",
        name=user.name, link=link))


@bp.get("/confirm/<token>")
def confirm(token: str):
    """Confirm the e-mail address from the link sent at registration."""
    try:
        data = _serializer("confirm").loads(token, max_age=CONFIRM_MAX_AGE_S)
    except SignatureExpired:
        return render_template("auth/message.html", title=_("The link has expired"),
                               message=_("Register again or ask for a new link by resetting your password.")), 400
    except BadSignature:
        abort(404)
    user = db_session().get(User, data.get("u"))
    if user is None or user.email != data.get("e"):
        abort(404)
    first = user.email_confirmed_at is None
    accounts.confirm_email(db_session(), user)
    if first and not user.can_submit and user.organisation_id is not None:
        moderator_mail.membership_waiting(db_session(), user)  # moderators who want word at once
    message = (_("Your e-mail address is confirmed and you can submit entries.") if user.can_submit else
               _("Your e-mail address is confirmed. A moderator will approve your membership of your "
                 "organisation; after that you can submit entries."))
    return render_template("auth/message.html", title=_("E-mail confirmed"), message=message,
                           login_link=not current_user.is_authenticated)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with e-mail and password; past the throttle the right password gets a mailed link."""
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            with Session(reading(current_app.extensions[ENGINE_KEY])) as reader:
                check = logins.check_login(reader, form.email.data, form.password.data,
                                           request.remote_addr or "unknown")
            user = logins.record_login(db_session(), check)
        except logins.Throttled as guarded:
            if guarded.user is not None:
                mail_link(guarded.user, form.remember.data, request.args.get("next"))
            # The same answer whether the password was right or not, and for unknown accounts.
            form.form_errors.append(_("Too many failed attempts. For safety the password alone is not enough "
                                      "now: if it was right, we sent a one-time log-in link to the account's "
                                      "e-mail address. You can also reset your password."))
            status = 429
        except accounts.AccountError:
            form.form_errors.append(_("Wrong e-mail address or password."))
            status = 200  # the failed attempt is recorded (committed) for throttling
        else:
            if user.email_confirmed_at is None:
                form.form_errors.append(_("Confirm your e-mail address first: open the link we sent you."))
            else:
                start_session(user, form.remember.data)
                return redirect(safe_next(request.args.get("next")))
    elif form.is_submitted():
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    """Log out here and everywhere else (the session token is rotated)."""
    accounts.sign_out_everywhere(current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_("You have logged out."))
    return redirect(url_for("public.front"))


@bp.route("/reset", methods=["GET", "POST"])
def reset_request():
    """Ask for a password reset link (the answer never reveals whether the address has an account)."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        limited = _mail_rate_limited(form, form.email.data)
        if limited:
            return render_template("auth/reset_request.html", form=form), 429, limited
        user = accounts.get_by_email(db_session(), form.email.data)
        if user is not None and user.is_active:
            token = _serializer("reset").dumps({"u": user.id, "t": user.session_token})
            with force_locale(user.language):
                send_mail(user.email, _("Reset your Ideapankki password"), _(
                    "Hello %(name)s,\n\nset a new password for Ideapankki by opening this link:\n%(link)s\n\n"
                    "The link works once and for one hour. If you did not ask for it, ignore this message.",
                    name=user.name, link=url_for("auth.reset", token=token, _external=True)))
        return render_template("auth/message.html", title=_("Check your e-mail"), message=_(
            "If %(email)s has an account, we sent it a link for setting a new password.", email=form.email.data))
    return render_template("auth/reset_request.html", form=form), 400 if form.is_submitted() else 200


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    """Set a new password from a single-use, expiring link."""
    try:
        data = _serializer("reset").loads(token, max_age=RESET_MAX_AGE_S)
    except (BadSignature, SignatureExpired):
        data = None
    user = db_session().get(User, data["u"]) if data else None
    if user is None or user.session_token != data.get("t"):
        return render_template("auth/message.html", title=_("The link is no longer valid"), message=_(
            "Password links work once and for one hour. Ask for a new one."), reset_link=True), 400
    form = ResetForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(db_session(), user, form.password.data)
        except accounts.AccountError as exc:
            form.password.errors.append(PASSWORD_MESSAGES[exc.code]())
        else:
            flash(_("Your password has been changed. Log in with the new password."))
            return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form), 400 if form.is_submitted() else 200


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """The account page: status of the membership, and a new password."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not accounts.verify_password(current_user, form.current.data):
            form.current.errors.append(_("The current password is wrong."))
        else:
            try:
                accounts.change_password(db_session(), current_user._get_current_object(), form.password.data)
            except accounts.AccountError as exc:
                form.password.errors.append(PASSWORD_MESSAGES[exc.code]())
            else:
                start_session(current_user._get_current_object(), remember=False)
                flash(_("Your password has been changed. Other devices have been logged out."))
                return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form), 400 if form.is_submitted() else 200
