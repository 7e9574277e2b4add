"""A member's new entry written as statements (entry_rows.insert_new) leaves the rows the ORM's
save_document leaves: every column of the entry, its related rows and revision 1, and the change log."""

import sqlalchemy as sa
from sqlmodel import select

from ideapankki import changes, content, entries, entry_rows
from ideapankki.models import (Contact, Entry, EntryChange, EntryLink, EntryMunicipality, EntryRelation, EntryTag,
                               EntryTheme, EntryState, LawReference, Revision)

from factories import make_entry, make_member
from structured_samples import IDEA, NORM, PRACTICE

CHILDREN = (EntryMunicipality, EntryTheme, EntryTag, LawReference, Contact, EntryLink, EntryRelation)
NOT_COMPARED = {"id", "entry_id", "slug", "created_at", "updated_at", "at"}


def _rows(session, model, entry_id):
    table = model.__table__
    order = [table.c.position] if "position" in table.c else [table.c.id]
    found = session.connection().execute(sa.select(table).where(table.c.entry_id == entry_id).order_by(*order))
    return [{k: v for k, v in row._mapping.items() if k not in NOT_COMPARED} for row in found]


def _entry_row(session, entry_id):
    row = session.connection().execute(sa.select(Entry.__table__).where(Entry.__table__.c.id == entry_id)).one()
    return {k: v for k, v in row._mapping.items() if k not in NOT_COMPARED}


def _write_both(session, member, text, slug):
    orm_doc = content.parse(text.replace("---\ntitle:", "---\nrelations:\n- kind: similar_to\n  entry: kohde\n"
                                         "laws:\n- title: Perusopetuslaki\n  number: 628/1998\n- title: Toinen\n"
                                         "links:\n- title: Kaupunki\n  url: https://www.kajaani.fi/\ntags:\n- a\n- b\n"
                                         "themes:\n- tyollisyys\n- koulutus\ntitle:", 1), f"{slug}.md", slug)
    codes = entries.resolve_references(orm_doc, entries.MunicipalityIndex.from_session(session), "t")
    orm, _changed = entries.save_document(session, orm_doc, codes, author=member, new_state=EntryState.submitted)
    orm.author_id, orm.organisation_id = member.id, member.organisation_id
    session.flush()
    new_doc = content.parse(text.replace("---\ntitle:", "---\nrelations:\n- kind: similar_to\n  entry: kohde\n"
                                         "laws:\n- title: Perusopetuslaki\n  number: 628/1998\n- title: Toinen\n"
                                         "links:\n- title: Kaupunki\n  url: https://www.kajaani.fi/\ntags:\n- a\n- b\n"
                                         "themes:\n- tyollisyys\n- koulutus\ntitle:", 1), f"{slug}-2.md", f"{slug}-2")
    values = {**entries.entry_values(new_doc), "slug": new_doc.slug, "state": EntryState.submitted.value,
              "author_id": member.id, "organisation_id": member.organisation_id}
    new = entry_rows.insert_new(session, new_doc, codes, values, author_id=member.id)
    return orm, new


def _arrange(session):
    make_entry(session, "kohde", type="idea")  # a relation's target
    return make_member(session)


def test_the_rows_are_those_of_the_orm_for_every_type(session):
    member = _arrange(session)
    for text, slug in ((PRACTICE, "kaytanto"), (IDEA, "idea"), (NORM, "normi")):
        orm, new = _write_both(session, member, text, slug)
        assert new is session.get(Entry, new.id) and new.slug == f"{slug}-2" and new.state == "submitted"
        assert _entry_row(session, new.id) == _entry_row(session, orm.id)
        assert new.created_at == new.updated_at
        for model in CHILDREN:
            assert _rows(session, model, new.id) == _rows(session, model, orm.id), model.__name__
        assert sum(len(_rows(session, model, new.id)) for model in CHILDREN) >= 7
        old_rev, new_rev = (session.exec(select(Revision).where(Revision.entry_id == e.id)).one() for e in (orm, new))
        assert (new_rev.number, new_rev.author_id, new_rev.state) == (1, member.id, None)
        assert new_rev.source == old_rev.source.replace(f"slug: {slug}\n", f"slug: {slug}-2\n")


def test_the_change_log_hears_of_it_once_per_transaction(session):
    orm, new = _write_both(session, _arrange(session), IDEA, "idea")
    logged = session.exec(select(EntryChange.entry_id).where(EntryChange.entry_id == new.id)).all()
    assert logged == [new.id] and session.info["entries_changed"]
    before = changes.site_version(session)
    new.title = "Toinen otsikko"  # a later flush in the same transaction adds no row
    session.flush()
    assert session.exec(select(EntryChange.entry_id).where(EntryChange.entry_id == new.id)).all() == [new.id]
    assert changes.site_version(session) == before
