"""The lists people work from: a member's own entries, and the moderators' queue.

Both are read here, not in the views, so that what a list holds (and whom it shows to) is decided
in one place and tested without the web.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import defer
from sqlmodel import Session, select

from .models import Entry, EntryState, EntryTheme, Revision, Transition, User, as_utc, utcnow
from .revisions import subject_state
from .transitions import belongs_to

QUEUE_STATES = (EntryState.submitted.value, EntryState.in_review.value)
APPEALED = EntryState.rejected.value  # a rejected entry whose author asked for reconsideration waits too


@dataclass
class OwnEntries:
    """A member's and their organisation's entries, newest change first."""

    entries: list[Entry]
    comments: dict[int, Transition]  # entry id -> the latest moderator's comment
    pending: dict[int, str]  # entry id -> the state of its pending edit


def own_entries(session: Session, user: User) -> OwnEntries:
    """USER's entries and their organisation's (approved members see those), with the latest
    moderator comment and the state of a pending edit of each; without their bodies (a large
    organisation lists hundreds)."""
    query = select(Entry).options(defer(Entry.body_md), defer(Entry.body_html)).where((Entry.author_id == user.id) | (
        (Entry.organisation_id == user.organisation_id) & (Entry.organisation_id.is_not(None))))
    rows = [e for e in session.exec(query.order_by(Entry.updated_at.desc(), Entry.id.desc()))
            if belongs_to(user, e) or e.author_id == user.id]
    comments: dict[int, Transition] = {}
    if rows:
        commented = session.exec(
            select(Transition).where(Transition.entry_id.in_([e.id for e in rows]), Transition.comment.is_not(None),
                                     Transition.actor_id.is_not(None)).order_by(Transition.id))
        comments = {row.entry_id: row for row in commented}  # the last one of each entry wins
    pending = {}
    for entry in rows:
        state, revision = subject_state(session, entry)
        if revision is not None:
            pending[entry.id] = state
    return OwnEntries(rows, comments, pending)


@dataclass(frozen=True)
class QueueFilter:
    """What a moderator narrowed the queue to; None means any."""

    type: str | None = None
    state: str | None = None
    theme: str | None = None
    days: int | None = None  # waiting at least this many days


@dataclass
class Queue:
    items: list[tuple[Entry, str, Revision | None]]  # (entry, the state under review, its pending edit)
    counts: dict[str, int]  # per queue state, before filtering
    total: int


def moderation_queue(session: Session, narrowed: QueueFilter, now: datetime | None = None) -> Queue:
    """Entries and edits waiting for review, oldest first: only entries in review states, or
    published ones with an edit in them — never the whole bank."""
    waiting = Entry.state.in_(QUEUE_STATES) | Entry.id.in_(
        select(Revision.entry_id).where(Revision.state.in_(QUEUE_STATES))) | (
        (Entry.state == APPEALED) & Entry.id.in_(select(Transition.entry_id).where(Transition.action == "appeal")))
    items = []
    for entry in session.exec(select(Entry).where(waiting).order_by(Entry.updated_at, Entry.id)):
        current, revision = subject_state(session, entry)
        if current in QUEUE_STATES or (current == APPEALED and _appeal_open(session, entry)):
            items.append((entry, current, revision))
    counts = {s: sum(1 for _e, c, _r in items if c == s) for s in (*QUEUE_STATES, APPEALED)}
    themed = (set(session.exec(select(EntryTheme.entry_id).where(EntryTheme.theme_slug == narrowed.theme)))
              if narrowed.theme else None)
    cutoff = (now or utcnow()) - timedelta(days=narrowed.days) if narrowed.days else None

    def keep(item) -> bool:
        entry, current, revision = item
        changed = revision.created_at if revision else entry.updated_at
        return ((not narrowed.type or entry.type == narrowed.type) and (not narrowed.state or current == narrowed.state)
                and (themed is None or entry.id in themed) and (cutoff is None or as_utc(changed) <= cutoff))

    return Queue([item for item in items if keep(item)], counts, len(items))


def _appeal_open(session: Session, entry: Entry) -> bool:
    """The entry's latest move is its author's appeal: a moderator's decision is awaited."""
    last = session.exec(select(Transition.action).where(Transition.entry_id == entry.id)
                        .order_by(Transition.id.desc())).first()
    return last == "appeal"
