"""What the review page, the author's status page and the public version history show of an entry.

Read here, not in the views: the text under review (the pending edit, else the entry), the field
changes of a pending edit (ideapankki.fielddiff), the moves and who made them, the latest
moderator's comment, the published entries most like it (possible duplicates) and the published
versions with who published them. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from . import fielddiff, structured
from .content import EntryDocument, parse
from .entries import to_document
from .models import Entry, EntryState, Organisation, Revision, Transition, User, as_utc
from .revisions import subject_state
from .search import IndexUnavailable, SearchIndex
from .search import results as searching

DUPLICATE = 0.5  # words in common (fielddiff.similarity) from which an entry is flagged as a possible copy
CANDIDATES = 8
MODERATOR_DECISIONS = ("return", "reject", "reopen", "uphold")


@dataclass
class Review:
    entry: Entry
    state: str  # of the workflow subject: the pending edit's, else the entry's
    revision: Revision | None
    document: EntryDocument  # the text under review
    history: list[Transition]
    people: dict[int, User]
    submitter: User | None
    organisation: Organisation | None
    latest_comment: Transition | None
    changes: list[fielddiff.FieldChange] | None = None  # of a pending edit, from the published text
    duplicates: list[tuple[Entry, float]] = field(default_factory=list)


def latest_comment(history: list[Transition]) -> Transition | None:
    """The latest moderator's comment to the author (a return, a rejection, an appeal's decision)."""
    return next((t for t in reversed(history) if t.comment and t.actor_id is not None and (
        t.action in MODERATOR_DECISIONS or (t.action is None and t.to_state in ("returned", "rejected")))), None)


def snapshot(revision: Revision, entry: Entry) -> EntryDocument:
    """A saved version's text as a document (read by its content, whatever the entry's address)."""
    doc = parse(revision.source, f"{entry.type}/entry.md", slug="entry")
    doc.slug = entry.slug
    return doc


def history_of(session: Session, entry: Entry) -> list[Transition]:
    """ENTRY's workflow moves, oldest first."""
    return list(session.exec(select(Transition).where(Transition.entry_id == entry.id).order_by(Transition.id)))


def read(session: Session, entry: Entry, show: fielddiff.Show = fielddiff.plain) -> Review:
    """ENTRY as its reviewers and its author follow it (no duplicates: see `with_duplicates`)."""
    state, revision = subject_state(session, entry)
    document = snapshot(revision, entry) if revision is not None else to_document(entry)
    history = history_of(session, entry)
    ids = {t.actor_id for t in history if t.actor_id} | {entry.author_id} - {None}
    people = {u.id: u for u in session.exec(select(User).where(User.id.in_(ids)))} if ids else {}
    organisation = session.get(Organisation, entry.organisation_id) if entry.organisation_id else None
    changes = fielddiff.field_diff(to_document(entry), document, show) if revision is not None else None
    return Review(entry, state, revision, document, history, people, people.get(entry.author_id), organisation,
                  latest_comment(history), changes)


def with_duplicates(session: Session, index: SearchIndex, review: Review) -> Review:
    """Add the published entries most like the text under review, with their similarity, most similar
    first (candidates from the search index's similar titles; similarity from the words themselves)."""
    doc = review.document
    try:
        found = searching.similar(session, index, f"{doc.title} {doc.summary}", CANDIDATES)
    except IndexUnavailable:
        return review
    text = _words(doc)
    scored = [(other, fielddiff.similarity(text, _words(to_document(other)))) for other, _score in found
              if other.id != review.entry.id]
    review.duplicates = sorted(scored, key=lambda pair: -pair[1])[:5]
    return review


def _words(doc: EntryDocument) -> str:
    return f"{doc.title}\n{doc.summary}\n{doc.body}"


@dataclass
class PublishedVersion:
    number: int  # 1 = the first published text
    at: datetime
    publisher: User | None  # None: the site's operator (an import)
    organisation: Organisation | None  # the publisher's
    document: EntryDocument
    changes: list[fielddiff.FieldChange]  # from the previous published version (all fields for the first)


def published_versions(session: Session, entry: Entry, show: fielddiff.Show = fielddiff.plain) -> list[PublishedVersion]:
    """The texts ENTRY has shown the public, newest first: each publication (the entry's own text, or
    an edit that was published) and each update by import while it was published. Never a draft,
    an edit still in review, returned or rejected, nor the text before its first publication."""
    if entry.state not in (EntryState.published.value, EntryState.archived.value):
        return []
    moves = session.exec(select(Transition).where(Transition.entry_id == entry.id,
                                                  Transition.to_state == EntryState.published.value)
                         .order_by(Transition.id)).all()
    own = session.exec(select(Revision).where(Revision.entry_id == entry.id, Revision.state.is_(None))
                       .order_by(Revision.number)).all()
    events: list[tuple[datetime, int, Revision, int | None]] = []
    for t in moves:
        if t.revision_id is not None:
            revision = session.get(Revision, t.revision_id)
        else:  # the entry's own text when it was published: its latest saved version by then
            revision = next((r for r in reversed(own) if as_utc(r.created_at) <= as_utc(t.at)), own[-1] if own else None)
        if revision is not None:
            events.append((as_utc(t.at), revision.number, revision, t.actor_id))
    if events:
        first = events[0][0]
        shown = {e[2].id for e in events}
        events += [(as_utc(r.created_at), r.number, r, None) for r in own
                   if r.id not in shown and as_utc(r.created_at) > first]  # updated by `ideapankki import`
    events.sort(key=lambda e: (e[0], e[1]))
    ids = {e[3] for e in events} - {None}
    people = {u.id: u for u in session.exec(select(User).where(User.id.in_(ids)))} if ids else {}
    versions: list[PublishedVersion] = []
    previous: EntryDocument | None = None
    for at, _number, revision, actor in events:
        document = snapshot(revision, entry)
        document.contacts = structured.shown_contacts(document.contacts)  # nobody who did not agree to it
        changes = fielddiff.field_diff(previous, document, show)
        if previous is not None and not changes:
            continue  # the same text published again
        publisher = people.get(actor)
        organisation = session.get(Organisation, publisher.organisation_id) if publisher and publisher.organisation_id else None
        versions.append(PublishedVersion(len(versions) + 1, at, publisher, organisation, document, changes))
        previous = document
    return versions[::-1]
