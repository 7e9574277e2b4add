"""Follow by e-mail without an account: the form, the confirmation, an address's own page, leaving.

Thin views over ideapankki.following. The form is limited per address and per client
(limits.check_mail_rate) and answers alike whether or not the address already follows anything.
The links in mails carry the follower's token; the one-click unsubscribe POST (RFC 8058) takes
no CSRF token (a mail client sends none), the token is its proof. `follow_link()` tells a
listing page what "follow by e-mail" follows there.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _, lazy_gettext as _l
from flask_login import current_user
from wtforms import EmailField, HiddenField, RadioField
from wtforms.validators import DataRequired, Email, Length

from ... import following, limits
from ...models import Language
from ..database import db_session
from ..extensions import csrf
from ..follow_mail import FREQUENCY_LABELS, KIND_LABELS, describe, queue_confirmation
from ..forms import ConfirmActionForm, SiteForm, choices
from ..i18n import url_with_query
from ..labels import LANGUAGE_ENDONYMS
from .. import readers_guard
from ..slug_links import linker

bp = Blueprint("follow", __name__, url_prefix="/follow")
REQUIRED = _l("This field is required.")


class ChoicesForm(SiteForm):
    frequency = RadioField(_l("How often"), choices=choices(FREQUENCY_LABELS), default="daily",
                           validators=[DataRequired(REQUIRED)])
    language = RadioField(_l("Language of the mail"), validators=[DataRequired(REQUIRED)], choices=choices(
        {lang.value: LANGUAGE_ENDONYMS[lang.value] for lang in Language}))


class FollowForm(ChoicesForm):
    email = EmailField(_l("E-mail address"), validators=[
        DataRequired(REQUIRED), Email(message=_l("Enter an e-mail address like name@example.fi."),
                                      check_deliverability=False), Length(max=254)])
    kind = HiddenField()
    value = HiddenField()
    website = readers_guard.honeypot()


def _target() -> tuple[str, str, str]:
    """(kind, value as the form carries it, value as stored), or 404 for what cannot be followed."""
    source = request.form if request.method == "POST" else request.args
    kind, value = source.get("kind") or "all", (source.get("value") or "").strip()
    if kind not in KIND_LABELS:
        abort(404)
    try:
        return kind, value, following.canonical_target(db_session(), kind, value)
    except following.FollowError:
        abort(404)


@bp.route("", methods=["GET", "POST"])
def subscribe():
    """Ask to follow something by e-mail; a link to confirm it is mailed to the address."""
    kind, value, stored = _target()
    form = FollowForm(kind=kind, value=value)
    if request.method == "GET":
        form.language.data = str(get_locale())
        if current_user.is_authenticated:
            form.email.data = current_user.email
    session = db_session()
    what = describe(session, kind, stored)
    if form.validate_on_submit():
        verdict = readers_guard.check(
            form, lambda: limits.check_mail_rate(session, form.email.data, request.remote_addr or "unknown",
                                                 current_app.config["MAILS_PER_ADDRESS"],
                                                 current_app.config["MAILS_PER_CLIENT"]),
            lambda minutes: _("Too many e-mail requests. Nothing was sent: try again in %(minutes)s minutes.",
                              minutes=minutes))
        if verdict.robot:  # answer as to anyone, do nothing
            return _check_mail(form.email.data)
        if verdict.retry_after is not None:
            return render_template("follow/subscribe.html", form=form, what=what), 429, verdict.headers
        own = (current_user.is_authenticated and current_user.email_confirmed_at is not None
               and following.normalise_email(form.email.data) == current_user.email.lower())
        follower, subscription = following.subscribe(session, form.email.data, kind, value, form.frequency.data,
                                                     form.language.data, confirmed=own)
        if own:
            flash(_("You now follow this by e-mail."))
            return redirect(url_for("follow.manage", token=follower.token))
        queue_confirmation(session, follower, subscription)
        return _check_mail(form.email.data)
    return render_template("follow/subscribe.html", form=form, what=what), 400 if form.is_submitted() else 200


def _check_mail(address: str):
    return render_template("auth/message.html", title=_("Check your e-mail"), message=_(
        "If %(email)s can receive mail, a link to confirm is on its way. Nothing is sent before you confirm.",
        email=address.strip()))


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str):
    """The mailed link: a button confirms (a link checker that opens the address confirms nothing)."""
    form = ConfirmActionForm()
    if form.validate_on_submit():
        try:
            follower, _subscription = following.confirm(db_session(), token)
        except following.FollowError as exc:
            return _bad_link(exc.message)
        flash(_("Confirmed: you now follow this by e-mail."))
        return redirect(url_for("follow.manage", token=follower.token))
    subscription = following.pending(db_session(), token)
    if subscription is None:
        return _bad_link("unknown")
    return render_template("follow/confirm.html", form=form,
                           what=describe(db_session(), subscription.kind, subscription.value))


def _bad_link(why: str):
    message = (_("The link has expired. Ask again from the page you wanted to follow.") if why == "expired"
               else _("The link is not valid: it may have been used already."))
    return render_template("auth/message.html", title=_("The link is not valid"), message=message), 404


def _follower(token: str):
    follower = following.by_token(db_session(), token)
    if follower is None:
        abort(404)
    return follower


@bp.route("/manage/<token>", methods=["GET", "POST"])
def manage(token: str):
    """An address's own page, from a link in its mails: what it follows, how often, which language."""
    session = db_session()
    follower = _follower(token)
    form = ChoicesForm(frequency=follower.frequency, language=follower.language)
    if form.validate_on_submit():
        following.choose(session, follower, form.frequency.data, form.language.data)
        flash(_("Your choices were saved."))
        return redirect(url_for("follow.manage", token=token))
    rows = [(s, describe(session, s.kind, s.value)) for s in following.subscriptions(session, follower)]
    return render_template("follow/manage.html", follower=follower, form=form, rows=rows,
                           remove_form=ConfirmActionForm()), 400 if form.is_submitted() else 200


@bp.post("/manage/<token>/remove/<int:subscription_id>")
def remove(token: str, subscription_id: int):
    follower = _follower(token)
    if not ConfirmActionForm().validate_on_submit():
        abort(400)
    if following.remove(db_session(), follower, subscription_id):
        return _gone()
    flash(_("You no longer follow that."))
    return redirect(url_for("follow.manage", token=token))


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):
    """GET: a page with one button. POST (the button, or a mail client's one-click request, RFC
    8058): the address and everything it follows are deleted. The token is the proof."""
    if request.method == "POST":
        follower = following.by_token(db_session(), token)
        if follower is not None:
            following.forget(db_session(), follower)
        return _gone()
    follower = _follower(token)
    return render_template("follow/unsubscribe.html", follower=follower, form=ConfirmActionForm())


def _gone():
    return render_template("auth/message.html", title=_("You no longer follow anything"), message=_(
        "Your e-mail address was deleted from Ideapankki's followers. No more mail is sent to it."))


# endpoint -> (the follow kind, the path part that is its value)
_ONE_VALUE = {"public.theme": ("theme", "slug"), "public.municipality": ("municipality", "code"),
              "public.entry": ("entry", "slug"), "programmes.programme": ("programme", "slug")}


def follow_link() -> str | None:
    """The follow form for what this page shows: front (everything), theme, municipality, region,
    entry, programme, or the search or listing as a search."""
    endpoint, view_args = request.endpoint, request.view_args or {}
    one = _ONE_VALUE.get(endpoint)
    if one is not None:  # the page's slug or code: its parts kept (slug_links), not a url_for a page
        kind, name = one
        return linker()("follow.subscribe", "value", view_args[name], kind=kind)
    if endpoint not in ("public.front", "public.entries", "search.search_page"):
        return None
    args = {k: v for k, v in request.args.items() if k in following.SEARCH_NAMES and v}
    if not args:
        return url_for("follow.subscribe", kind="all")
    if list(args) == ["region"]:
        return url_for("follow.subscribe", kind="region", value=args["region"])
    return url_with_query("follow.subscribe", {"kind": "search", "value": urlencode(sorted(args.items()))})


def own_following():
    """(follower, confirmed subscriptions) of the signed-in member's address, or None: the account page."""
    if not current_user.is_authenticated:
        return None
    follower = following.by_email(db_session(), current_user.email)
    return (follower, following.subscriptions(db_session(), follower)) if follower else None


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals.update(follow_link=follow_link, own_following=own_following)
