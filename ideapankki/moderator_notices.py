"""What moderators are told of new work, and how: a mail at once, or one daily digest.

A moderator (or admin) chooses on their account page (`set_preference`). New submissions and
memberships waiting for approval are mailed at once to those who chose "immediate"
(`immediate_recipients`); `ideapankki moderator-digest` (run from cron) mails the others what is
waiting, at most once a day each (`digest_due`, `mark_sent`). `waiting` counts what waits, for the
header of every moderator's page: one query of three scalar counts over indexed columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from .accounts import AccountError, pending_memberships
from .models import Entry, EntryState, ModeratorNotices, Revision, Role, User

WAITING_STATES = (EntryState.submitted.value, EntryState.in_review.value)
MODERATOR_ROLES = (Role.moderator.value, Role.admin.value)


@dataclass(frozen=True)
class Waiting:
    """What waits for a moderator: entries (and edits of published ones) in review, memberships."""

    in_review: int
    memberships: int


def waiting(session: Session) -> Waiting:
    """Count the entries and pending edits submitted or in review, and the memberships to approve."""
    entries = select(sa.func.count()).select_from(Entry).where(Entry.state.in_(WAITING_STATES)).scalar_subquery()
    edits = select(sa.func.count()).select_from(Revision).where(Revision.state.in_(WAITING_STATES)).scalar_subquery()
    members = (select(sa.func.count()).select_from(User)
               .where(User.email_confirmed_at.is_not(None), User.membership_approved_at.is_(None),
                      User.role == Role.member.value).scalar_subquery())
    entry_count, edit_count, member_count = session.exec(select(entries, edits, members)).one()
    return Waiting(in_review=entry_count + edit_count, memberships=member_count)


def _moderators(notices: ModeratorNotices):
    return _MODERATORS[notices]


# Built once: every submission asks for the immediate recipients under the write lock.
_MODERATORS = {notices: select(User).where(User.role.in_(MODERATOR_ROLES), User.is_active,
                                           User.moderator_notices == notices.value).order_by(User.id)
               for notices in ModeratorNotices}


def immediate_recipients(session: Session) -> list[User]:
    """Active moderators and admins who want a mail about new work at once."""
    return list(session.exec(_moderators(ModeratorNotices.immediate)))


def set_preference(session: Session, actor: User, value: str) -> None:
    """Set ACTOR's choice of immediate mail or a daily digest (moderators and admins only)."""
    if not actor.is_moderator:
        raise AccountError("forbidden", "only moderators choose how they hear of new work")
    if value not in {n.value for n in ModeratorNotices}:
        raise AccountError("bad_choice", f"{value!r} is not one of immediate, daily")
    actor.moderator_notices = value
    session.flush()


def digest_due(session: Session, today: date) -> list[User]:
    """Moderators who chose the daily digest and have not had one TODAY."""
    return [user for user in session.exec(_moderators(ModeratorNotices.daily))
            if user.moderator_digest_on is None or user.moderator_digest_on < today]


def waiting_work(session: Session) -> tuple[list[Entry], list[User]]:
    """The entries with something submitted or in review (oldest change first), and the members waiting."""
    edited = select(Revision.entry_id).where(Revision.state.in_(WAITING_STATES))
    entries = session.exec(select(Entry).where(sa.or_(Entry.state.in_(WAITING_STATES), Entry.id.in_(edited)))
                           .order_by(Entry.updated_at, Entry.id)).all()
    return list(entries), pending_memberships(session)


def mark_sent(user: User, today: date) -> None:
    """Record that USER has had TODAY's digest (a second run the same day sends none)."""
    user.moderator_digest_on = today
