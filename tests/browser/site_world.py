"""The data the browser tests see: the published seed content plus accounts and unpublished work.

Everything is made with the domain functions the site itself uses, so the pages show real
states: a submission waiting in the queue, a published entry with a revision under review
(for the diff page), and a norm proposal with a status timeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session

from ideapankki import accounts, adoptions, entries, normstatus, revisions, workflow
from ideapankki.config import CONTENT_DIR
import structured_samples
from factories import mark_by_many
from ideapankki.content import EntryDocument, parse
from ideapankki.db import session_scope
from ideapankki.migrate import init_database, seed_if_empty
from ideapankki.models import NormStatus, Role
from ideapankki.web.views.adoptions import SHOWN
from ideapankki.workflow import Action

PASSWORD = "kuusi sanaa kulkee kauas"

# Slugs of seed content the tests open (content/<type>/<slug>.md).
PRACTICE = "kainuun-tyollisyyden-kuntakokeilu"
IDEA = "onnellinen-kaupunki"
NORM = "saatavuusharkinnasta-luopuminen-kokeilun-ajaksi"


@dataclass
class World:
    """What build_world made: account e-mails by role and the slugs of the special entries."""

    emails: dict[str, str] = field(default_factory=dict)
    submitted: str = ""  # waiting in the moderation queue
    revised: str = ""  # published, with revision 2 waiting for review
    norm: str = NORM
    practice: str = PRACTICE
    idea: str = IDEA
    programme: str = ""
    theme: str = "tyollisyys"
    municipality: str = "205"  # Kajaani
    structured: str = ""  # a published practice with every structured field
    structured_review: str = ""  # the same, a submission in review (the evidence level form)
    versions: str = ""  # published twice: its public version history has a field diff


def _doc(title: str, body: str) -> EntryDocument:
    return EntryDocument(slug="", type="practice", title=title, summary="Kokeilu selaintestejä varten.",
                         municipalities=["Kajaani"], themes=["tyollisyys"], body=body)


def build_world(engine) -> World:
    """Migrate ENGINE's database, publish the seed content and add the test accounts and entries."""
    init_database(engine)
    seed_if_empty(engine, CONTENT_DIR)
    world = World()
    with session_scope(engine) as session:
        kajaani = accounts.find_or_create_organisation(session, "Kajaani")
        member = accounts.add_user(session, email="jasen@kajaani.fi", role=Role.member, password=PASSWORD,
                                   name="Jaana Jäsen", organisation=kajaani)
        moderator = accounts.add_user(session, email="moderaattori@kuntaliitto.fi", role=Role.moderator,
                                      password=PASSWORD, name="Mikko Moderaattori")
        admin = accounts.add_user(session, email="admin@kuntaliitto.fi", role=Role.admin, password=PASSWORD,
                                  name="Aino Admin")
        world.emails = {"member": member.email, "moderator": moderator.email, "admin": admin.email}
        waiting = accounts.register(session, email="odottaa@kajaani.fi", name="Olli Odottaja",
                                    password=PASSWORD, organisation=kajaani)
        accounts.confirm_email(session, waiting)

        submitted = entries.create_entry(session, _doc("Lähiliikuntapaikkojen yhteiskäyttö",
                                                       "## Tausta\n\nKoulujen salit iltakäyttöön."), ["205"], member)
        workflow.act(session, submitted, Action.submit, member)
        world.submitted = submitted.slug

        revised = entries.create_entry(session, _doc("Kirjaston kotipalvelu kokeiluna",
                                                     "## Tausta\n\nKirjat kotiin."), ["205"], member)
        workflow.act(session, revised, Action.submit, member)
        workflow.act(session, revised, Action.take, moderator)
        workflow.act(session, revised, Action.publish, moderator)
        edited = _doc("Kirjaston kotipalvelu kokeiluna", "## Tausta\n\nKirjat ja äänikirjat kotiin.\n\n"
                                                        "## Tulokset\n\nLainaajia 120.")
        revision = revisions.save_edit(session, revised, edited, ["205"], member)
        assert revision is not None and revision.number == 2
        workflow.act(session, revised, Action.submit, member)
        world.revised = revised.slug

        versions = entries.create_entry(session, _doc("Koulukuljetusten yhteissuunnittelu",
                                                      "## Tausta\n\nKunnat suunnittelevat reitit yhdessä."), ["205"], member)
        for text in (None, "## Tausta\n\nKunnat suunnittelevat reitit yhdessä kahdesti vuodessa."):
            if text:
                revisions.save_edit(session, versions, _doc(versions.title, text), ["205"], member)
            for action in (Action.submit, Action.take, Action.publish):
                workflow.act(session, versions, action, member if action == Action.submit else moderator)
        world.versions = versions.slug

        for attribute, publish in (("structured", True), ("structured_review", False)):
            doc = parse(structured_samples.PRACTICE, "practice/jasennelty.md")
            doc.title = f"{doc.title} ({attribute})"
            made = entries.create_entry(session, doc, ["205"], member)
            workflow.act(session, made, Action.submit, member)
            workflow.act(session, made, Action.take, moderator)
            if publish:
                workflow.act(session, made, Action.publish, moderator)
            setattr(world, attribute, made.slug)

        norm = entries.get_by_slug(session, NORM)
        normstatus.record(session, norm, moderator, NormStatus.sent_to_ministry.value, date(2023, 2, 1),
                          note="Lähetetty työ- ja elinkeinoministeriöön.")
        normstatus.record(session, norm, moderator, NormStatus.government_bill.value, date(2023, 9, 14))
        world.programme = _first_programme(session)
        _adopters(session, world, member)
    return world


def _adopters(session: Session, world: World, member) -> None:
    """A member of Oulu who may mark entries (the adoption flow), and two marks on the idea (its map)."""
    oulu = accounts.find_or_create_organisation(session, "Oulu")
    world.emails["adopter"] = accounts.add_user(session, email="kayttaja@ouka.fi", role=Role.member,
                                                password=PASSWORD, name="Olga Oululainen", organisation=oulu).email
    porvoo = accounts.add_user(session, email="jasen@porvoo.fi", role=Role.member, password=PASSWORD,
                               name="Pia Porvoolainen", organisation=accounts.find_or_create_organisation(session, "Porvoo"))
    idea = entries.get_by_slug(session, IDEA)
    adoptions.mark(session, idea, member, "adopted", year=2024, note="Kokeilussa kirjastoissa.")
    adoptions.mark(session, idea, porvoo, "interested")
    # the structured practice (Kajaani's) marked by more organisations than its page's table lists
    mark_by_many(session, entries.get_by_slug(session, world.structured), SHOWN + 5, skip=("205", "564", "638"))


def _first_programme(session: Session) -> str:
    from ideapankki import programmes

    found = programmes.all_programmes(session)
    return found[0].slug if found else ""
