"""What `ideapankki notify` tells followers: events read from the site's own records, one digest
per address and period, each event in exactly one digest.

Events come from three records the site keeps anyway, each read past a cursor (NotifyCursor):
the audit log (a move to `published`: a first publication, or an edit's new version), the norm
status steps, and adoptions. The first run starts at their ends: history is not news. Every
follower has a watermark (seen_event_id); a digest holds the events past it that match what the
address follows, and moves it in the same transaction that queues the mail in the outbox. So a
digest is planned once, whichever process plans it, and the outbox sends each planned mail once
(claim with a lease, send, delete: ideapankki.outbox).

Planning runs in one writing transaction under a lock (SQLite BEGIN IMMEDIATE; on PostgreSQL an
advisory lock), so two runs at once plan one after the other and the second finds nothing left.
A digest lists only entries published at planning time, with their published text: a pending
edit lives in a Revision row and never reaches a mail, nor does an entry archived since.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from .models import (Adoption, Entry, EntryRelation, EntryState, EventKind, FollowEvent, FollowKind, Follower,
                     Frequency, Municipality, NormStatusEvent, NotifyCursor, RelationKind, Subscription, Transition,
                     as_utc, utcnow)

PLAN_LOCK = 0x1DEA_F011  # pg_advisory_xact_lock key: one planner at a time
PERIODS = {Frequency.immediate.value: timedelta(0), Frequency.daily.value: timedelta(days=1),
           Frequency.weekly.value: timedelta(days=7)}
KEEP_EVENTS = timedelta(days=30)  # events no follower needs any more go sooner


@dataclass
class Item:
    """One entry in a digest, as published, and what happened to it (in order, once each)."""

    entry: Entry
    kinds: list[str] = field(default_factory=list)


@dataclass
class Plan:
    """What one planning pass did."""

    events: int = 0  # new events read
    digests: int = 0  # mails queued
    followers_left: int = 0  # due followers left for the next run (the per-run limit)


def _sources() -> dict[str, tuple[sa.Select, Callable]]:
    """Each source: the query of its rows past a cursor (id, entry_id, event kind)."""
    published = EntryState.published.value
    return {
        "transition": (select(Transition.id, Transition.entry_id, Transition.revision_id)
                       .where(Transition.to_state == published),
                       lambda row: EventKind.published.value if row[2] is None else EventKind.version.value),
        "norm_status": (select(NormStatusEvent.id, NormStatusEvent.entry_id, sa.literal(None)),
                        lambda row: EventKind.norm_status.value),
        "adoption": (select(Adoption.id, Adoption.entry_id, sa.literal(None)).where(Adoption.status == "adopted"),
                     lambda row: EventKind.adoption.value),
    }


def _table_of(query: sa.Select):
    return query.get_final_froms()[0]


def _lock(session: Session) -> None:
    """One reader of the sources at a time (SQLite's writers take turns already)."""
    if session.get_bind().dialect.name == "postgresql":
        session.exec(sa.select(sa.func.pg_advisory_xact_lock(PLAN_LOCK)))


def collect(session: Session, now: datetime) -> int:
    """Read each source past its cursor into follow_event rows; return how many were added.
    Call in a writing transaction (the planner's, or a confirmation's)."""
    _lock(session)
    added = 0
    for name, (query, kind_of) in _sources().items():
        table = _table_of(query)
        cursor = session.get(NotifyCursor, name)
        if cursor is None:  # the first run: start at the end
            head = session.exec(select(sa.func.coalesce(sa.func.max(table.c.id), 0))).one()
            session.add(NotifyCursor(name=name, last_id=head))
            continue
        rows = session.exec(query.where(table.c.id > cursor.last_id).order_by(table.c.id)).all()
        for row in rows:
            session.add(FollowEvent(entry_id=row[1], kind=kind_of(row), at=now))
        if rows:
            cursor.last_id = rows[-1][0]
            added += len(rows)
    session.flush()
    return added


def _due(follower: Follower, now: datetime, per_day: int) -> bool:
    if follower.sent_on == now.date() and follower.sent_that_day >= per_day:
        return False
    last = follower.last_sent_at
    return last is None or as_utc(last) + PERIODS[follower.frequency] <= now


def _keys(session: Session, entries: dict[int, Entry]) -> dict[int, set[tuple[str, str]]]:
    """What each entry is followed through: everything, itself, its themes, places, programme."""
    regions = dict(session.exec(select(Municipality.code, Municipality.region_code)).all())
    keys = {}
    for entry in entries.values():
        found = {(FollowKind.all.value, ""), (FollowKind.entry.value, str(entry.id))}
        found |= {(FollowKind.theme.value, slug) for slug in entry.theme_slugs}
        for link in entry.municipality_links:
            found.add((FollowKind.municipality.value, link.municipality_code))
            found.add((FollowKind.region.value, regions.get(link.municipality_code, "")))
        if entry.programme_slug:
            found.add((FollowKind.programme.value, entry.programme_slug))
        keys[entry.id] = found
    return keys


def in_language(session: Session, entry: Entry, language: str) -> Entry:
    """ENTRY, or its published translation into LANGUAGE when there is one."""
    if entry.language == language:
        return entry
    other = sa.or_(sa.and_(EntryRelation.entry_id == entry.id, EntryRelation.target_slug == Entry.slug),
                   sa.and_(EntryRelation.target_slug == entry.slug, EntryRelation.entry_id == Entry.id))
    translated = session.exec(select(Entry).join(EntryRelation, other).where(
        EntryRelation.kind == RelationKind.translation_of.value, Entry.language == language,
        Entry.state == EntryState.published.value)).first()
    return translated or entry


def plan(session: Session, render: Callable[[Session, Follower, list[Item]], None],
         search_matches: Callable[[str], set[int]], *, limit: int, per_day: int,
         now: datetime | None = None) -> Plan:
    """Collect new events and queue a digest (through RENDER) for each due follower with news, at
    most LIMIT, each address at most PER_DAY a day. SEARCH_MATCHES(query string) gives the ids of
    the published entries a followed search finds. Call in a writing transaction; commit after."""
    now = now or utcnow()
    result = Plan(events=collect(session, now))
    head = session.exec(select(sa.func.coalesce(sa.func.max(FollowEvent.id), 0))).one()
    waiting = session.exec(select(Follower).where(Follower.confirmed_at.is_not(None),
                                                  Follower.seen_event_id < head).order_by(Follower.id)).all()
    due = [f for f in waiting if _due(f, now, per_day)]
    if not due:
        return result
    oldest = min(f.seen_event_id for f in due)
    events = session.exec(select(FollowEvent).where(FollowEvent.id > oldest, FollowEvent.id <= head)
                          .order_by(FollowEvent.id)).all()
    published = {e.id: e for e in session.exec(select(Entry).where(
        Entry.id.in_({e.entry_id for e in events}), Entry.state == EntryState.published.value)
        .options(selectinload(Entry.municipality_links), selectinload(Entry.theme_links)))}
    keys = _keys(session, published)
    subscriptions = defaultdict(set)
    for follower_id, kind, value in session.exec(select(Subscription.follower_id, Subscription.kind, Subscription.value)
                                                 .where(Subscription.confirmed_at.is_not(None),
                                                        Subscription.follower_id.in_([f.id for f in due]))):
        subscriptions[follower_id].add((kind, value))
    searches = {value for followed in subscriptions.values() for kind, value in followed
                if kind == FollowKind.search.value}
    for query in searches:
        for entry_id in search_matches(query) & published.keys():
            keys[entry_id].add((FollowKind.search.value, query))
    by_key = defaultdict(list)  # what is followed -> its events, oldest first
    for event in events:
        for key in keys.get(event.entry_id, ()):
            by_key[key].append(event)
    for number, follower in enumerate(due):
        if result.digests >= limit:
            result.followers_left = len(due) - number
            break
        news = sorted({event.id: event for key in subscriptions[follower.id] for event in by_key.get(key, ())
                       if event.id > follower.seen_event_id}.values(), key=lambda event: event.id)
        items: dict[int, Item] = {}
        for event in news:
            item = items.setdefault(event.entry_id, Item(published[event.entry_id]))
            if event.kind not in item.kinds:
                item.kinds.append(event.kind)
        follower.seen_event_id = head
        if items:
            render(session, follower, list(items.values()))
            follower.last_sent_at = now
            follower.sent_that_day = (follower.sent_that_day if follower.sent_on == now.date() else 0) + 1
            follower.sent_on = now.date()
            result.digests += 1
    session.flush()
    return result


def prune(session: Session, now: datetime | None = None) -> None:
    """Delete events every confirmed follower has seen, and any older than KEEP_EVENTS; never the
    newest (SQLite would give its id again, and watermarks compare ids)."""
    now = now or utcnow()
    head = session.exec(select(sa.func.coalesce(sa.func.max(FollowEvent.id), 0))).one()
    seen_by_all = select(sa.func.min(Follower.seen_event_id)).where(Follower.confirmed_at.is_not(None)) \
        .scalar_subquery()
    session.exec(sa.delete(FollowEvent).where(FollowEvent.id < head, (
        FollowEvent.id <= sa.func.coalesce(seen_by_all, FollowEvent.id)) | (FollowEvent.at < now - KEEP_EVENTS)))
