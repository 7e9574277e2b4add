"""Report an error or inappropriate content: any reader, no account; moderators resolve.

A report names a published entry, a reason, a text and, if the reader wants a reply, an e-mail
address. Moderators see open reports with those about personal data first (they may need the
entry taken down at once). Resolving records the action (the entry was edited, archived, or
nothing needed doing), who and when, and writes an audit line; archiving goes through the
workflow like any archive (its own audit-log row). The reporter's address is used for the
optional reply and then deleted in the same transaction: a resolved report keeps no address.
The caller commits; the reply mail is the web layer's.
"""

from __future__ import annotations


import sqlalchemy as sa
from sqlmodel import Session, select

from . import logs, workflow
from .following import FollowError, normalise_email
from .models import Entry, EntryState, Report, ReportAction, ReportReason, User, utcnow
from .transitions import Action

MAX_TEXT = 4000
MAX_REPLY = 4000


class ReportError(FollowError):
    """Input that cannot be taken as given; FIELD names the form field (the same field error as
    following's: one shape for the readers' forms)."""


def submit(session: Session, entry: Entry, reason: str, text: str, email: str | None = None) -> Report:
    """Record a reader's report on ENTRY (published only). Raises ReportError."""
    if entry.state != EntryState.published.value:
        raise ReportError("entry", "only published entries can be reported")
    if reason not in {r.value for r in ReportReason}:
        raise ReportError("reason", f"unknown reason {reason!r}")
    text = (text or "").strip()
    if not text:
        raise ReportError("text", "say what is wrong")
    if len(text) > MAX_TEXT:
        raise ReportError("text", f"at most {MAX_TEXT} characters")
    address = None
    if (email or "").strip():
        try:
            address = normalise_email(email)
        except FollowError as exc:
            raise ReportError("email", exc.message) from exc
    report = Report(entry_id=entry.id, reason=reason, text=text, email=address)
    session.add(report)
    session.flush()
    return report


def _open():
    return select(Report).where(Report.resolved_at.is_(None))


def open_reports(session: Session) -> list[tuple[Report, Entry]]:
    """Open reports, personal data first, then oldest first, each with its entry."""
    first = sa.case((Report.reason == ReportReason.personal_data.value, 0), else_=1)
    rows = session.exec(select(Report, Entry).join(Entry, Entry.id == Report.entry_id)
                        .where(Report.resolved_at.is_(None)).order_by(first, Report.created_at, Report.id))
    return list(rows)


def open_count(session: Session) -> int:
    return session.exec(select(sa.func.count()).select_from(_open().subquery())).one()


def resolve(session: Session, report: Report, moderator: User, action: str, reply: str | None = None) -> str | None:
    """Resolve REPORT with ACTION as MODERATOR; returns the address the REPLY should go to (None
    when there is no reply or no address). The address is deleted from the report here."""
    if moderator is None or not moderator.is_moderator:
        raise workflow.NotAllowed("only moderators resolve reports")
    if report.resolved_at is not None:
        raise ReportError("action", "the report has been resolved already")
    if action not in {a.value for a in ReportAction}:
        raise ReportError("action", f"unknown action {action!r}")
    reply = (reply or "").strip()
    if len(reply) > MAX_REPLY:
        raise ReportError("reply", f"at most {MAX_REPLY} characters")
    entry = session.get(Entry, report.entry_id)
    if action == ReportAction.archive.value and entry.state == EntryState.published.value:
        workflow.act(session, entry, Action.archive, moderator, f"report {report.id}")
    address = report.email if reply else None
    report.resolved_at, report.resolved_by, report.action = utcnow(), moderator.id, action
    report.replied, report.email = bool(address), None
    session.add(report)
    session.flush()
    logs.audit(session, "report_resolved", report_id=report.id, entry_id=report.entry_id, actor_id=moderator.id,
               reason=report.reason, action=action, replied=report.replied)
    return address
