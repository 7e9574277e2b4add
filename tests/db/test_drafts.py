"""A draft may hold only its title; what review needs is checked when it is sent (ideapankki.drafts)."""

import pytest
from sqlmodel import select

from ideapankki import content, drafts, exchange, revisions, submissions, workflow
from ideapankki.content import EntryDocument
from ideapankki.models import EntryState, Transition
from ideapankki.transitions import Action

from factories import make_entry, make_member


def title_only(entry_type="practice", **fields):
    data = {"title": "Pelkkä otsikko", "type": entry_type, "summary": "", **fields}
    return content.from_mapping(data, "", "form", "uusi", draft=True)


def test_a_draft_needs_only_a_title_and_a_file_still_needs_a_summary():
    assert title_only().summary == ""
    with pytest.raises(content.ContentError) as error:
        content.from_mapping({"title": "Otsikko", "type": "idea"}, "", "form", "uusi")
    assert error.value.key == "summary"
    with pytest.raises(content.ContentError) as error:
        content.from_mapping({"type": "idea", "summary": "S."}, "", "form", "uusi", draft=True)
    assert error.value.key == "title"


def test_missing_names_what_review_needs_by_type():
    assert drafts.missing(title_only()) == ["summary"]
    assert drafts.missing(title_only("norm")) == ["summary", *drafts.NORM_KEYS]
    complete = EntryDocument(slug="n", type="norm", title="T", summary="S.", laws=[{"title": "Perusopetuslaki"}],
                             proposal={"action": "loosen", "justification": "Koska.", "proposer_role": "official"})
    assert drafts.missing(complete) == []


def test_title_only_draft_is_saved_and_cannot_be_sent_until_complete(session):
    member = make_member(session)
    entry, sent = submissions.save(session, member, title_only(), [], None, submit=False, per_hour=20)
    session.commit()
    assert (entry.state, entry.title, entry.summary, sent) == ("draft", "Pelkkä otsikko", "", False)
    # Sending the same text: refused before anything is written.
    with pytest.raises(drafts.Incomplete) as refused:
        submissions.save(session, member, title_only(title="Toinen"), [], None, submit=True, per_hour=20)
    assert refused.value.keys == ["summary"]
    session.rollback()
    # The workflow refuses a submit of the incomplete draft too (e.g. the button on its own page).
    with pytest.raises(drafts.Incomplete):
        workflow.act(session, entry, Action.submit, member)
    session.rollback()
    assert session.exec(select(Transition).where(Transition.entry_id == entry.id)).all() == []
    finished = title_only(summary="Nyt on tiivistelmäkin.")
    entry, sent = submissions.save(session, member, finished, [], entry, submit=True, per_hour=20)
    session.commit()
    assert sent and entry.state == EntryState.submitted.value


def test_an_edit_of_a_published_entry_can_be_saved_without_a_summary(session):
    member = make_member(session)
    entry = make_entry(session, "julkaistu")
    entry.author_id = member.id
    session.commit()
    revisions.save_edit(session, entry, title_only(), [], member)
    session.commit()
    assert revisions.current_document(session, entry).summary == ""  # the snapshot reads back
    with pytest.raises(drafts.Incomplete):
        workflow.act(session, entry, Action.submit, member)


def test_export_leaves_out_a_draft_without_a_summary(session, tmp_path):
    member = make_member(session)
    submissions.save(session, member, title_only(), [], None, submit=False, per_hour=20)
    make_entry(session, "valmis")
    session.commit()
    written = exchange.export_dir(session, tmp_path)
    assert [path.name for path in written] == ["valmis.md"]


def test_a_new_entry_sent_at_once_is_audited_as_workflow_act_audits_a_draft_sent_later(session):
    """A new entry saved and sent in one transaction is inserted submitted (workflow.move_for_new,
    record_new) and reads nothing back, yet ends as `act` leaves a draft sent later: submitted, one
    audit row of the move."""
    member = make_member(session)
    done = title_only(summary="Valmis teksti.")
    at_once, sent = submissions.save(session, member, done, [], None, submit=True, per_hour=20)
    later, _sent = submissions.save(session, member, title_only(title="Myöhemmin", summary="Valmis."), [], None,
                                    submit=False, per_hour=20)
    workflow.act(session, later, Action.submit, member)
    session.commit()
    assert sent and at_once.state == later.state == EntryState.submitted.value

    def audit(entry):
        rows = session.exec(select(Transition).where(Transition.entry_id == entry.id)).all()
        return [(r.from_state, r.to_state, r.action, r.actor_id, r.revision_id, r.comment, r.waived) for r in rows]
    assert audit(at_once) == audit(later) == [("draft", "submitted", "submit", member.id, None, None, False)]


def test_a_new_entry_is_sent_at_once_only_when_the_transition_table_allows_it(session):
    """move_for_new asks the table before anything is written: an account that may not submit gets
    no move (and the form path saves nothing sent); one that may, the draft → submitted move."""
    member = make_member(session)
    assert workflow.move_for_new(member).target == EntryState.submitted
    member.membership_approved_at = None  # no longer an approved member of the organisation
    assert workflow.move_for_new(member) is None
