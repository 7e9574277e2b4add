"""Who has adopted a practice or idea: organisations' marks ("in use here" since a year, or "interested").

A member marks on behalf of their own organisation only, and only published practices and ideas
(a norm proposal is not something a municipality takes into use); one mark per organisation and
entry, which the member may change or withdraw. The rules are checked here, not in the views.
Each change is written to the audit log (ids only). The entry's author is told by the web layer
(ideapankki.web.views.adoptions) when `mark` reports news.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from . import logs
from .content import URL_RE
from .normstatus import StatusError  # a field and its message: the same shape of error
from .models import (Adoption, AdoptionStatus, Entry, EntryState, EntryType, Municipality, Organisation, User,
                     utcnow)
from .transitions import NotAllowed, WorkflowError

ADOPTABLE_TYPES = (EntryType.practice.value, EntryType.idea.value)
STATUSES = tuple(s.value for s in AdoptionStatus)
FIRST_YEAR = 1900
NOTE_MAX, LINK_MAX = 1000, 2000


class AdoptionError(StatusError):
    """A mark that cannot be saved as given; FIELD names the form field at fault."""


@dataclass(frozen=True)
class Mark:
    """An adoption with the organisation's municipality (None for a group or an association)."""

    adoption: Adoption
    organisation: Organisation
    municipality: Municipality | None


@dataclass(frozen=True)
class Saved:
    """What `mark` did: the row, and whether it is news to the author (a new mark, or a new status)."""

    adoption: Adoption
    news: bool


def refusal(actor: User | None, entry: Entry) -> str | None:
    """Why ACTOR may not mark ENTRY for their organisation (None: they may)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "log in to mark an entry for your organisation"
    if entry.state != EntryState.published.value or entry.type not in ADOPTABLE_TYPES:
        return "only published practices and ideas can be marked"
    if not actor.can_submit or actor.organisation_id is None or actor.membership_approved_at is None:
        return "only an approved member of an organisation marks entries on its behalf"
    if entry.organisation_id is not None and entry.organisation_id == actor.organisation_id:
        return "this is your organisation's own entry"
    return None


def may_mark(actor: User | None, entry: Entry) -> bool:
    """Tell whether ACTOR may mark ENTRY for their own organisation (for showing the form)."""
    return refusal(actor, entry) is None


def _check(actor: User | None, entry: Entry) -> None:
    problem = refusal(actor, entry)
    if problem is None:
        return
    if entry.state != EntryState.published.value or entry.type not in ADOPTABLE_TYPES:
        raise WorkflowError(problem)
    raise NotAllowed(problem)


def _clean(status: str, year: int | None, note: str | None, link: str | None,
           today: date) -> tuple[int | None, str | None, str | None]:
    if status not in STATUSES:
        raise AdoptionError("status", f"unknown status {status!r}")
    if status == AdoptionStatus.adopted.value:
        if year is None:
            raise AdoptionError("year", "give the year it was taken into use")
        if not FIRST_YEAR <= year <= today.year:
            raise AdoptionError("year", f"the year must be between {FIRST_YEAR} and {today.year}")
    else:
        year = None  # interest has no year of adoption
    note = (note or "").strip() or None
    if note is not None and len(note) > NOTE_MAX:
        raise AdoptionError("note", f"at most {NOTE_MAX} characters")
    link = (link or "").strip() or None
    if link is not None and (len(link) > LINK_MAX or not URL_RE.match(link)):
        raise AdoptionError("link", "must be an http:// or https:// address")
    return year, note, link


def own(session: Session, entry: Entry, actor: User | None) -> Adoption | None:
    """ACTOR's organisation's mark on ENTRY, if it has one."""
    if actor is None or not getattr(actor, "is_authenticated", False) or actor.organisation_id is None:
        return None
    return session.exec(select(Adoption).where(Adoption.entry_id == entry.id,
                                               Adoption.organisation_id == actor.organisation_id)).first()


def mark(session: Session, entry: Entry, actor: User | None, status: str, *, year: int | None = None,
         note: str | None = None, link: str | None = None, today: date | None = None) -> Saved:
    """Mark ENTRY for ACTOR's organisation, or change its mark (not committed).

    Raises NotAllowed (not ACTOR's to mark), WorkflowError (not a published practice or idea)
    or AdoptionError (a field at fault).
    """
    _check(actor, entry)
    year, note, link = _clean(status, year, note, link, today or date.today())
    row = own(session, entry, actor)
    news = row is None or row.status != status
    if row is None:
        row = Adoption(entry_id=entry.id, organisation_id=actor.organisation_id, status=status)
        session.add(row)
    row.status, row.year, row.note, row.link = status, year, note, link
    row.marked_by, row.updated_at = actor.id, utcnow()
    session.flush()
    logs.audit(session, "adoption", adoption_id=row.id, entry_id=entry.id, organisation_id=row.organisation_id,
               actor_id=actor.id, status=status, news=news)
    return Saved(row, news)


def withdraw(session: Session, entry: Entry, actor: User | None) -> bool:
    """Withdraw ACTOR's organisation's mark on ENTRY (not committed); False if it had none."""
    _check(actor, entry)
    row = own(session, entry, actor)
    if row is None:
        return False
    logs.audit(session, "adoption", adoption_id=row.id, entry_id=entry.id, organisation_id=row.organisation_id,
               actor_id=actor.id, status="withdrawn", news=False)
    session.delete(row)
    session.flush()
    return True


def _marks(session: Session, where, order, limit: int | None = None) -> list[Mark]:
    rows = session.exec(
        select(Adoption, Organisation, Municipality)
        .join(Organisation, Organisation.id == Adoption.organisation_id)
        .outerjoin(Municipality, Municipality.code == Organisation.municipality_code)
        .where(*where).order_by(*order).limit(limit)
    ).all()
    return [Mark(adoption, organisation, municipality) for adoption, organisation, municipality in rows]


def of_entry(session: Session, entry: Entry, limit: int | None = None) -> list[Mark]:
    """ENTRY's marks: those who have it in use (earliest year first), then those interested, by name
    (the first LIMIT of them, when given)."""
    return _marks(session, [Adoption.entry_id == entry.id],
                  [sa.case((Adoption.status == AdoptionStatus.adopted.value, 0), else_=1), Adoption.year,
                   Organisation.name, Adoption.id], limit)


@dataclass(frozen=True)
class Counts:
    """How many organisations marked an entry, per status, and per region (those in a municipality)."""

    statuses: dict[str, int]
    regions: dict[str, dict[str, int]]  # region code -> {status: organisations}

    @property
    def total(self) -> int:
        return sum(self.statuses.values())


def counts(session: Session, entry: Entry) -> Counts:
    """ENTRY's marks counted in one GROUP BY, without loading them (the entry page's summary and map)."""
    return counted(session.exec(
        select(Municipality.region_code, Adoption.status, sa.func.count(Adoption.id))
        .join(Organisation, Organisation.id == Adoption.organisation_id)
        .outerjoin(Municipality, Municipality.code == Organisation.municipality_code)
        .where(Adoption.entry_id == entry.id).group_by(Municipality.region_code, Adoption.status)
    ).all())


def counted(rows) -> Counts:
    """Counts from (region code or None, status, organisations) rows (also read by entry_lists.load)."""
    statuses = dict.fromkeys(STATUSES, 0)
    regions: dict[str, dict[str, int]] = {}
    for region, status, n in rows:
        statuses[status] = statuses.get(status, 0) + n
        if region is not None:
            regions.setdefault(region, dict.fromkeys(STATUSES, 0))[status] += n
    return Counts(statuses, regions)


def newest(session: Session, entry: Entry, limit: int = 50) -> list[Mark]:
    """ENTRY's marks, most recently made or changed first (the entry's feed)."""
    return _marks(session, [Adoption.entry_id == entry.id], [Adoption.updated_at.desc(), Adoption.id.desc()], limit)


def region_counts(marks: list[Mark]) -> dict[str, dict[str, int]]:
    """Region code → {status: organisations}, for the marks whose organisation is in a municipality."""
    counts: dict[str, dict[str, int]] = {}
    for m in marks:
        if m.municipality is not None:
            region = counts.setdefault(m.municipality.region_code, dict.fromkeys(STATUSES, 0))
            region[m.adoption.status] += 1
    return counts


def records(marks: list[Mark]) -> list[dict]:
    """The marks as the API and the exports give them (field names are a contract)."""
    return [{
        "organisation": m.organisation.name,
        "municipality_code": m.municipality.code if m.municipality else None,
        "municipality": m.municipality.name_fi if m.municipality else None,
        "region_code": m.municipality.region_code if m.municipality else None,
        "status": m.adoption.status,
        "year": m.adoption.year,
        "note": m.adoption.note,
        "link": m.adoption.link,
        "marked_at": m.adoption.updated_at.date().isoformat() if m.adoption.updated_at else None,
    } for m in marks]
