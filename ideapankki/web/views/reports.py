"""Report an error ("Ilmoita virheestä") on a published entry, and the moderators' queue of reports.

Thin views over ideapankki.reports. The form needs no account: a honeypot field and a limit
per client (limits.count_report) instead of a CAPTCHA, checked by the readers' form guard. A moderator resolves a report with an
action and an optional reply, mailed to the reporter through the outbox after the commit.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import EmailField, RadioField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from ... import browse, limits, reports
from ...models import Entry, Report
from ..database import db_session
from ..forms import SiteForm, choices
from .. import readers_guard
from ..notify import send_mail

bp = Blueprint("reports", __name__)
REQUIRED = _l("This field is required.")
REASON_LABELS = {
    "factual_error": _l("A factual error"),
    "outdated": _l("Out of date"),
    "personal_data": _l("Personal data that should not be public"),
    "inappropriate": _l("Inappropriate content"),
    "other": _l("Something else"),
}
ACTION_LABELS = {
    "edit": _l("The entry was corrected"),
    "archive": _l("Archive the entry (take it down)"),
    "none": _l("No action needed"),
}


class ReportForm(SiteForm):
    reason = RadioField(_l("What is wrong?"), choices=choices(REASON_LABELS), validators=[DataRequired(REQUIRED)])
    text = TextAreaField(_l("Tell us more"), validators=[DataRequired(REQUIRED), Length(max=reports.MAX_TEXT)],
                         description=_l("What is wrong, and what would be right? A source helps."))
    email = EmailField(_l("Your e-mail address (optional)"), validators=[
        Optional(), Email(message=_l("Enter an e-mail address like name@example.fi."), check_deliverability=False),
        Length(max=254)], description=_l("Only for a reply. It is deleted when the report has been handled."))
    website = readers_guard.honeypot()


class ResolveForm(SiteForm):
    action = RadioField(_l("What was done?"), choices=choices(ACTION_LABELS), validators=[DataRequired(REQUIRED)])
    reply = TextAreaField(_l("Reply to the reporter (optional)"), validators=[Length(max=reports.MAX_REPLY)])


@bp.route("/entries/<slug>/report", methods=["GET", "POST"])
def report(slug: str):
    """The report form of a published entry."""
    session = db_session()
    entry = browse.get_published(session, slug)
    if entry is None:
        abort(404)
    form = ReportForm()
    if form.validate_on_submit():
        verdict = readers_guard.check(
            form, lambda: limits.count_report(session, request.remote_addr or "unknown",
                                              current_app.config["REPORTS_PER_CLIENT"]),
            lambda minutes: _("Too many reports from your network. Try again in %(minutes)s minutes.",
                              minutes=minutes))
        if verdict.retry_after is not None:
            return render_template("reports/form.html", form=form, entry=entry), 429, verdict.headers
        if not verdict.robot:  # a robot gets the same thanks, and nothing is kept
            reports.submit(session, entry, form.reason.data, form.text.data, form.email.data)
        return render_template("auth/message.html", title=_("Thank you"), message=_(
            "Your report was sent to the moderators. If you gave your e-mail address, you will get a reply."))
    return render_template("reports/form.html", form=form, entry=entry), 400 if form.is_submitted() else 200


def _moderator() -> None:
    if not current_user.is_moderator:
        abort(403)


@bp.get("/moderation/reports")
@login_required
def queue():
    """Open reports, personal data first."""
    _moderator()
    return render_template("reports/queue.html", rows=reports.open_reports(db_session()), reason_labels=REASON_LABELS,
                           form=ResolveForm())


@bp.post("/moderation/reports/<int:report_id>")
@login_required
def resolve(report_id: int):
    """Resolve a report: the action, and the reply mailed to the reporter."""
    _moderator()
    session = db_session()
    found = session.get(Report, report_id)
    if found is None:
        abort(404)
    form = ResolveForm()
    if not form.validate_on_submit():
        return render_template("reports/queue.html", rows=reports.open_reports(session), reason_labels=REASON_LABELS,
                               form=form, failed=report_id), 400
    try:
        address = reports.resolve(session, found, current_user._get_current_object(), form.action.data,
                                  form.reply.data)
    except reports.ReportError as exc:
        flash(exc.message)
        return redirect(url_for("reports.queue"))
    entry = session.get(Entry, found.entry_id)
    if address:
        with force_locale(entry.language):
            send_mail(address, _("Your report on Ideapankki: %(title)s", title=entry.title), _(
                "Thank you for your report on “%(title)s”.\n\nThe moderator's reply:\n%(reply)s\n\n%(link)s",
                title=entry.title, reply=form.reply.data.strip(),
                link=url_for("public.entry", slug=entry.slug, _external=True)))
    flash(_("The report was resolved."))
    return redirect(url_for("reports.queue"))


def open_reports_count() -> int:
    """For the header: open reports, to moderators only (0 for anyone else)."""
    if not current_user.is_authenticated or not current_user.is_moderator:
        return 0
    return reports.open_count(db_session())


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["open_reports_count"] = open_reports_count
