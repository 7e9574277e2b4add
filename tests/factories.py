"""Factories that arrange data through the same domain functions the site uses."""

from datetime import date
from pathlib import Path

from sqlmodel import Session, select

from ideapankki import programmes, workflow
from ideapankki.content import EntryDocument
from ideapankki.entries import save_document
from ideapankki.models import Adoption, Entry, EntryState, Municipality, Organisation, Programme, Role, User, utcnow
from ideapankki.programme_format import ProgrammeDocument
from ideapankki.reference import MunicipalityIndex

PROJECT_DIR = Path(__file__).resolve().parent.parent
CONTENT_DIR = PROJECT_DIR / "content"


def make_entry(session: Session, slug: str = "kokeilu", *, state: EntryState = EntryState.published,
               commit: bool = True, **fields) -> Entry:
    """Create an entry through the domain functions (as an import would) in STATE."""
    values = {"type": "practice", "title": f"Otsikko {slug}", "summary": "Tiivistelmä.",
              "body": "## Tausta\n\nTeksti.", "published": date(2022, 5, 25)}
    values.update(fields)
    doc = EntryDocument(slug=slug, **values)
    index = MunicipalityIndex.from_session(session)
    codes = [index.resolve(m) for m in doc.municipalities]
    entry, _ = save_document(session, doc, codes)
    if state != EntryState.draft:
        workflow.place_by_operator(session, entry, state, "test")
    if commit:
        session.commit()
    return entry



def make_programme(session: Session, slug: str = "ohjelma", *, commit: bool = True, **fields) -> Programme:
    """Create a trial programme through the domain functions (as an import would)."""
    values = {"title": f"Ohjelma {slug}", "summary": "Kokeiluohjelma.", "period_start": date(2021, 3, 1),
              "body": "## Ohjelma\n\nTeksti."}
    values.update(fields)
    doc = ProgrammeDocument(slug=slug, **values)
    index = MunicipalityIndex.from_session(session)
    programme, _ = programmes.save_document(session, doc, [index.resolve(m) for m in doc.municipalities])
    if commit:
        session.commit()
    return programme


def make_user(session: Session, email: str, *, role: Role = Role.member, name: str = "Testi Käyttäjä") -> User:
    """A confirmed account (no usable password: for domain tests that need an actor)."""
    user = User(email=email, password_hash="x", name=name, role=role.value, email_confirmed_at=utcnow())
    session.add(user)
    session.commit()
    return user


def make_member(session: Session, email: str = "maija@kajaani.fi", municipality: str = "Kajaani",
                password: str = "kuusi sanaa kulkee kauas") -> User:
    """A member of MUNICIPALITY's organisation who may log in with PASSWORD (clients.PASSWORD)."""
    from ideapankki import accounts

    org = accounts.find_or_create_organisation(session, municipality)
    user = accounts.add_user(session, email=email, role=Role.member, password=password, organisation=org)
    session.commit()
    return user


def mark_by_many(session: Session, entry: Entry, n: int, *, skip: tuple[str, ...] = ("205",)) -> list[Municipality]:
    """N organisations, one in each municipality by code (those in SKIP left out), mark ENTRY: two of
    three in use (since a year), every third interested. Rows written directly (not committed):
    as many marks as no test would make through the form."""
    places = session.exec(select(Municipality).where(Municipality.code.not_in(skip)).order_by(Municipality.code)
                          .limit(n)).all()
    for i, place in enumerate(places):
        org = Organisation(name=f"{place.name_fi}, sivistystoimi", kind="municipality", municipality_code=place.code)
        session.add(org)
        session.flush()
        interested = i % 3 == 2
        session.add(Adoption(entry_id=entry.id, organisation_id=org.id, status="interested" if interested else "adopted",
                             year=None if interested else 2010 + i % 15))
    session.flush()
    return places
