"""Mail about memberships and new work: the member whose membership was approved, moderators who
want word at once (ideapankki.moderator_notices), and the daily digest. Every mail carries the
link to act on; links are built from the public URL, texts are in the account's language (User.language).
Queued in the transaction (ideapankki.outbox)."""

from __future__ import annotations

from flask import url_for
from flask_babel import force_locale, gettext as _
from sqlmodel import Session

from .. import moderator_notices, outbox
from ..models import Entry, Organisation, User

def send_mail(session: Session, to: str, subject: str, body: str) -> None:
    """Queue a message in SESSION's transaction (the request's or the command's); sent after the commit."""
    outbox.queue(session, to, subject, body)


def membership_approved(session: Session, user: User) -> None:
    """Tell USER their membership was approved and where to start submitting."""
    org = session.get(Organisation, user.organisation_id) if user.organisation_id else None
    with force_locale(user.language):
        send_mail(session, user.email, _("Your Ideapankki membership has been approved"), _(
            "Hello %(name)s,\n\na moderator has approved your membership of %(organisation)s. You can now "
            "submit trials, ideas and norm proposals:\n%(link)s\n\nA draft can be saved with only a title.",
            name=user.name, organisation=org.name if org else "–",
            link=url_for("contribute.start", _external=True)))


def membership_waiting(session: Session, user: User) -> None:
    """Tell the moderators who want word at once that USER waits for approval."""
    org = session.get(Organisation, user.organisation_id) if user.organisation_id else None
    link = url_for("admin.memberships", _external=True)
    for moderator in moderator_notices.immediate_recipients(session):
        with force_locale(moderator.language):
            send_mail(session, moderator.email, _("A membership waits for approval: %(name)s", name=user.name), _(
                "%(name)s (%(email)s) has confirmed their address and asks to submit for %(organisation)s.\n\n"
                "Approve the membership:\n%(link)s", name=user.name, email=user.email,
                organisation=org.name if org else "–", link=link))


def submission_waiting(session: Session, entry: Entry) -> None:
    """Tell the moderators who want word at once that ENTRY was sent for review."""
    recipients = moderator_notices.immediate_recipients(session)
    link = url_for("moderate.review", slug=entry.slug, _external=True) if recipients else None
    for moderator in recipients:
        with force_locale(moderator.language):
            send_mail(session, moderator.email, _("New in the moderation queue: %(title)s", title=entry.title),
                      _("A new entry is waiting for review:\n\n%(title)s\n%(link)s", title=entry.title, link=link))


def queue_digest(session: Session, moderator: User, entries: list[Entry], members: list[User]) -> None:
    """Queue MODERATOR's daily digest of what waits."""
    with force_locale(moderator.language):
        lines = [_("Waiting in Ideapankki today:"), ""]
        if entries:
            lines += [_("Entries to review (%(count)s):", count=len(entries))]
            lines += [f"- {entry.title}\n  {url_for('moderate.review', slug=entry.slug, _external=True)}"
                      for entry in entries] + [""]
        if members:
            lines += [_("Memberships to approve (%(count)s):", count=len(members))]
            lines += [f"- {user.name} <{user.email}>" for user in members]
            lines += [url_for("admin.memberships", _external=True), ""]
        lines += [_("You get this digest once a day; change it on your account page:"),
                  url_for("auth.account", _external=True)]
        subject = _("Ideapankki: %(entries)s entries to review, %(members)s memberships to approve",
                    entries=len(entries), members=len(members))
    send_mail(session, moderator.email, subject, "\n".join(lines))
