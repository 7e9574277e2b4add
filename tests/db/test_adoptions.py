"""Who has adopted a practice: the rules of marking, one mark per organisation, the audit, "adapted from"."""

import logging
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import select

from factories import make_entry, make_member, make_user
from ideapankki import adoptions, changes, content, relations
from ideapankki.exchange import ImportFailed, export_dir, import_path
from ideapankki.models import Adoption, EntryState, EntryType, Role, utcnow

TODAY = date(2026, 12, 6)


@pytest.fixture
def practice(session):
    return make_entry(session, "omavalmentaja", title="Omavalmentaja", municipalities=["Kajaani"])


@pytest.fixture
def member(session):
    """A member of Oulu's organisation, approved (another municipality than the practice's)."""
    user = make_member(session, "liisa@ouka.fi", "Oulu")
    user.membership_approved_at = utcnow()
    session.commit()
    return user


def test_member_marks_adoption_for_own_organisation(session, practice, member):
    saved = adoptions.mark(session, practice, member, "adopted", year=2024, note="  Käytössä nuorille.  ",
                           link="https://www.ouka.fi/omavalmentaja", today=TODAY)
    session.commit()
    assert saved.news
    assert (saved.adoption.organisation_id, saved.adoption.status, saved.adoption.year) == \
        (member.organisation_id, "adopted", 2024)
    assert saved.adoption.note == "Käytössä nuorille."
    [mark] = adoptions.of_entry(session, practice)
    assert (mark.organisation.name, mark.municipality.code, mark.municipality.region_code) == ("Oulu", "564", "FI1D9")
    assert adoptions.region_counts([mark]) == {"FI1D9": {"adopted": 1, "interested": 0}}


def test_one_mark_per_organisation_changed_not_doubled(session, practice, member):
    adoptions.mark(session, practice, member, "interested", year=2020, today=TODAY)
    session.commit()
    colleague = make_member(session, "pekka@ouka.fi", "Oulu")
    colleague.membership_approved_at = utcnow()
    session.commit()
    again = adoptions.mark(session, practice, colleague, "interested", note="Selvitämme.", today=TODAY)
    assert not again.news  # the same status: no news for the author
    changed = adoptions.mark(session, practice, colleague, "adopted", year=2025, today=TODAY)
    session.commit()
    assert changed.news
    rows = session.exec(select(Adoption)).all()
    assert [(r.status, r.year, r.note, r.marked_by) for r in rows] == [("adopted", 2025, None, colleague.id)]


def test_interest_has_no_year(session, practice, member):
    saved = adoptions.mark(session, practice, member, "interested", year=2020, today=TODAY)
    assert saved.adoption.year is None


def test_withdrawing_removes_the_mark(session, practice, member):
    adoptions.mark(session, practice, member, "adopted", year=2023, today=TODAY)
    session.commit()
    assert adoptions.withdraw(session, practice, member)
    session.commit()
    assert adoptions.of_entry(session, practice) == []
    assert not adoptions.withdraw(session, practice, member)


@pytest.mark.parametrize("fields, key", [
    ({"status": "adopted"}, "year"),
    ({"status": "adopted", "year": 2027}, "year"),
    ({"status": "adopted", "year": 1899}, "year"),
    ({"status": "copied", "year": 2020}, "status"),
    ({"status": "interested", "link": "ftp://example.fi/x"}, "link"),
    ({"status": "interested", "link": "javascript:alert(1)"}, "link"),
    ({"status": "interested", "note": "x" * 1001}, "note"),
])
def test_bad_fields_name_the_field_and_write_nothing(session, practice, member, fields, key):
    fields = dict(fields)  # the parameters are shared by both databases' runs
    status = fields.pop("status")
    with pytest.raises(adoptions.AdoptionError) as caught:
        adoptions.mark(session, practice, member, status, today=TODAY, **fields)
    assert caught.value.field == key
    session.rollback()
    assert session.exec(select(Adoption)).all() == []


def test_only_published_practices_and_ideas(session, member):
    draft = make_entry(session, "luonnos", state=EntryState.draft)
    norm = make_entry(session, "normi", type="norm")
    idea = make_entry(session, "idea", type="idea")
    for entry in (draft, norm):
        with pytest.raises(adoptions.WorkflowError):
            adoptions.mark(session, entry, member, "interested", today=TODAY)
    assert adoptions.mark(session, idea, member, "interested", today=TODAY).news


def test_only_approved_members_of_an_organisation_mark(session, practice):
    unapproved = make_member(session, "uusi@ouka.fi", "Oulu")
    unapproved.membership_approved_at = None
    session.commit()
    moderator = make_user(session, "moderaattori@kuntaliitto.fi", role=Role.moderator)  # no organisation
    for actor in (None, unapproved, moderator):
        with pytest.raises(adoptions.NotAllowed):
            adoptions.mark(session, practice, actor, "interested", today=TODAY)
        assert not adoptions.may_mark(actor, practice)


def test_an_organisation_does_not_mark_its_own_entry(session, practice, member):
    practice.organisation_id = member.organisation_id
    session.commit()
    with pytest.raises(adoptions.NotAllowed):
        adoptions.mark(session, practice, member, "adopted", year=2024, today=TODAY)


def test_marks_move_the_site_version_and_are_audited(session, practice, member, caplog):
    before = changes.site_version(session)
    session.commit()
    with caplog.at_level(logging.INFO, logger="ideapankki.audit"):
        adoptions.mark(session, practice, member, "adopted", year=2024, today=TODAY)
        session.commit()
    assert changes.site_version(session) != before
    audit = [r.getMessage() for r in caplog.records if r.name == "ideapankki.audit"]
    assert len(audit) == 1 and '"event":"adoption"' in audit[0] and '"status":"adopted"' in audit[0]
    assert "liisa@ouka.fi" not in audit[0]


def test_the_database_refuses_a_second_mark_and_a_yearless_adoption(session, practice, member):
    session.add(Adoption(entry_id=practice.id, organisation_id=member.organisation_id, status="adopted"))
    with pytest.raises(sa.exc.IntegrityError):
        session.flush()
    session.rollback()
    session.add(Adoption(entry_id=practice.id, organisation_id=member.organisation_id, status="interested"))
    session.add(Adoption(entry_id=practice.id, organisation_id=member.organisation_id, status="interested"))
    with pytest.raises(sa.exc.IntegrityError):
        session.flush()
    session.rollback()


ADAPTED = """---
title: Omavalmentaja Oulussa
type: practice
summary: Oulun versio.
language: fi
published: 2026-12-01
relations:
- kind: adapted_from
  entry: omavalmentaja
---
"""


def test_adapted_from_is_shown_from_both_ends_and_round_trips(session, practice, tmp_path):
    (tmp_path / "practice").mkdir()
    (tmp_path / "practice" / "omavalmentaja-oulu.md").write_text(ADAPTED, encoding="utf-8")
    import_path(session, tmp_path, publish=True)
    session.commit()
    adapted = session.exec(select(type(practice)).where(type(practice).slug == "omavalmentaja-oulu")).one()
    assert [(link.kind, link.direction, link.entry.slug) for link in relations.links(session, adapted)] == [
        ("adapted_from", "outgoing", "omavalmentaja")]
    assert [(link.kind, link.direction, link.entry.slug) for link in relations.links(session, practice)] == [
        ("adapted_from", "incoming", "omavalmentaja-oulu")]
    out = tmp_path / "out"
    export_dir(session, out)
    assert (out / "practice" / "omavalmentaja-oulu.md").read_text(encoding="utf-8") == ADAPTED


def test_a_norm_proposal_is_not_adapted(session, tmp_path):
    text = ADAPTED.replace("type: practice", "type: norm")
    with pytest.raises(content.ContentError) as caught:
        content.parse(text, "norm/x.md")
    assert caught.value.key == "relations[0].kind"
    make_entry(session, "normi", type="norm")
    (tmp_path / "practice").mkdir()
    (tmp_path / "practice" / "y.md").write_text(ADAPTED.replace("omavalmentaja\n", "normi\n"), encoding="utf-8")
    with pytest.raises(ImportFailed) as failed:
        import_path(session, tmp_path, publish=True)
    assert [e.key for e in failed.value.errors] == ["relations[0].kind"]
    assert EntryType.practice.value in adoptions.ADOPTABLE_TYPES
