"""The public, reusable form of published entries: one record shape for the API and the exports.

Field names here are a promise to everyone who reuses the data (documented in the OpenAPI
document and the export README): add fields, never rename or remove them.
"""

from __future__ import annotations

from sqlmodel import Session, select

from . import structured
from .browse import PUBLISHED
from .models import Entry, EntryMunicipality, EntryType, Municipality, as_utc


def _day(value) -> str | None:
    return value.isoformat() if value else None


def municipality_record(m: Municipality) -> dict:
    return {"code": m.code, "name_fi": m.name_fi, "name_sv": m.name_sv, "region_code": m.region_code,
            "region_fi": m.region_fi, "region_sv": m.region_sv}


def summary_record(entry: Entry, url: str) -> dict:
    """What a list of entries shows of each."""
    return {
        "slug": entry.slug,
        "url": url,
        "type": entry.type,
        "language": entry.language,
        "title": entry.title,
        "summary": entry.summary,
        "published": _day(entry.published_on),
        "municipalities": [m.code for m in entry.municipalities],
        "themes": list(entry.theme_slugs),
        "trial_status": entry.trial_status,
        "evidence_level": entry.evidence_level,  # confirmed by a moderator (practices, 1–5)
    }


def entry_record(entry: Entry, url: str, links: list[dict] | None = None, adopters: list[dict] | None = None) -> dict:
    """Everything public about one published entry; LINKS are its typed links (relations.records),
    ADOPTERS the organisations that have it in use or are interested (adoptions.records)."""
    record = summary_record(entry, url)
    record.update({
        "municipalities": [municipality_record(m) for m in entry.municipalities],
        "tags": list(entry.tags),
        "body_markdown": entry.body_md,
        "body_html": entry.body_html,
        "updated": as_utc(entry.updated_at).strftime("%Y-%m-%dT%H:%M:%SZ") if entry.updated_at else None,
        "period": ({"start": _day(entry.period_start), "end": _day(entry.period_end)}
                   if entry.period_start or entry.period_end else None),
        "origin": entry.origin,
        "laws": [{"title": law.title, "number": law.number, "section": law.section} for law in entry.laws],
        "contacts": [{"name": c.name, "role": c.role, "organisation": c.organisation, "email": c.email,
                      "phone": c.phone} for c in structured.shown_contacts(entry.contacts)],
        "evidence_proposed": entry.evidence_proposed,  # the author's proposal, not confirmed
        "details": structured.to_json(structured.from_json(entry.details)) or {},
        "links": [{"title": link.title, "url": link.url} for link in entry.links],
        "programme": entry.programme_slug,  # the trial programme of a practice (slug), or None
        "proposal": _proposal(entry) if entry.type == EntryType.norm.value else None,
        "relations": links or [],
        "adoptions": adopters or [],
        "norm_status": entry.norm_events[-1].status if entry.norm_events else None,
        "norm_status_history": [
            {"status": e.status, "date": e.happened_on.isoformat(), "note": e.note, "amending_act": e.amending_act,
             "reason": e.reason} for e in entry.norm_events],
    })
    return record


def _proposal(entry: Entry) -> dict:
    return {
        "action": entry.proposal_action,
        "justification": entry.proposal_justification,
        "savings": entry.proposal_savings,
        "time": entry.proposal_time,
        "people": entry.proposal_people,
        "proposer_role": entry.proposal_proposer_role,
    }


def municipalities_with_counts(session: Session) -> list[tuple[Municipality, int]]:
    """Every municipality of the register with its number of published entries."""
    import sqlalchemy as sa

    counts = dict(session.exec(
        select(EntryMunicipality.municipality_code, sa.func.count(sa.distinct(Entry.id)))
        .join(Entry, Entry.id == EntryMunicipality.entry_id).where(PUBLISHED)
        .group_by(EntryMunicipality.municipality_code)
    ).all())
    municipalities = session.exec(select(Municipality).order_by(Municipality.name_fi, Municipality.code)).all()
    return [(m, counts.get(m.code, 0)) for m in municipalities]
