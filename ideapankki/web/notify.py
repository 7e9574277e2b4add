"""E-mail to people about their entries and to moderators about new work (in the reader's language).

Messages are queued in the request's transaction and sent after it commits (ideapankki.outbox).
"""

from __future__ import annotations

from flask import Flask, current_app, url_for
from flask_babel import force_locale, gettext as _
from sqlmodel import Session

from .. import mail, outbox
from ..models import Entry, User
from ..workflow import Action
from .database import db_session, engine
from .moderator_mail import submission_waiting


def init_app(app: Flask) -> None:
    """Mail goes to the SMTP server the environment names, or else to the instance's mail folder."""
    app.config.setdefault("MAIL_SETTINGS", mail.MailSettings.from_environment(app.config["INSTANCE_DIR"]))


def mail_settings() -> mail.MailSettings:
    """The configured SMTP server, or the instance's mail folder."""
    return current_app.config.get("MAIL_SETTINGS") or mail.MailSettings.from_environment(
        current_app.config["INSTANCE_DIR"])


def send_mail(to: str, subject: str, body: str) -> None:
    """Queue a message in this request's transaction; it is sent after the commit (ideapankki.outbox)."""
    outbox.queue(db_session(), to, subject, body)


def deliver_after_response(session: Session, response) -> None:
    """Send the mail this request's committed transaction queued, after the response has gone out
    (the server closes it): the reader waits for no SMTP server, and an answer takes as long
    whether or not it mailed someone (a reset for an unknown address)."""
    ids = outbox.take_queued(session)
    if ids:
        response.call_on_close(outbox.deliver_after_response(engine(), mail_settings(), ids))


def after_action(session: Session, entry: Entry, action: Action, comment: str | None) -> None:
    """Tell whom it concerns: moderators about a submission, the author about a decision."""
    if action == Action.submit:
        submission_waiting(session, entry)  # to moderators who want word at once; the others get a digest
        return
    if action not in (Action.publish, Action.return_, Action.reject) or entry.author_id is None:
        return
    author = session.get(User, entry.author_id)
    if author is None:
        return
    # The author hears in their account's language (chosen at registration, changed on the account page),
    # as every other mail to an account does: a Finnish official may well write an entry in Swedish.
    with force_locale(author.language):
        if action == Action.publish:
            subject = _("Your entry has been published: %(title)s", title=entry.title)
            link = url_for("public.entry", slug=entry.slug, _external=True)
        else:  # returned or rejected: the status page says why and what to do next
            if action == Action.return_:
                subject = _("Your entry was returned for changes: %(title)s", title=entry.title)
            else:
                subject = _("Your entry was not accepted: %(title)s", title=entry.title)
            link = url_for("status.page", slug=entry.slug, _external=True)
        body = _("%(title)s\n\nModerator's comment:\n%(comment)s\n\n%(link)s", title=entry.title,
                 comment=comment or "–", link=link)
    send_mail(author.email, subject, body)
