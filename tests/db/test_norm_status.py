"""Norm proposals after publication: who may record steps, what each step needs, the current status."""

from datetime import date

import pytest

from factories import make_entry, make_user
from ideapankki import browse, normstatus
from ideapankki.models import EntryState, Role
from ideapankki.workflow import NotAllowed, WorkflowError

DAY = date(2024, 3, 1)


@pytest.fixture
def norm(session):
    return make_entry(session, "kelpoisuus", type="norm", title="Kelpoisuus")


@pytest.fixture
def moderator(session):
    return make_user(session, "moderaattori@kuntaliitto.fi", role=Role.moderator)


def test_steps_build_a_timeline_and_the_latest_is_the_status(session, norm, moderator):
    assert normstatus.current(norm) is None
    normstatus.record(session, norm, moderator, "sent_to_ministry", date(2024, 1, 10), note="Lähetetty OKM:lle")
    normstatus.record(session, norm, moderator, "law_changed", date(2024, 9, 1), amending_act="1234/2024")
    normstatus.record(session, norm, moderator, "government_bill", date(2024, 5, 2))
    session.commit()
    session.refresh(norm)
    assert [e.status for e in norm.norm_events] == ["sent_to_ministry", "government_bill", "law_changed"]
    assert normstatus.current(norm).amending_act == "1234/2024"
    assert normstatus.counts(session) == {"law_changed": 1}


def test_only_moderators_record_steps(session, norm):
    member = make_user(session, "jasen@kajaani.fi", role=Role.member)
    with pytest.raises(NotAllowed):
        normstatus.record(session, norm, member, "sent_to_ministry", DAY)
    with pytest.raises(NotAllowed):
        normstatus.record(session, norm, None, "sent_to_ministry", DAY)


@pytest.mark.parametrize("kind, state", [("practice", EntryState.published), ("norm", EntryState.submitted),
                                         ("norm", EntryState.archived)])
def test_steps_only_for_published_norm_proposals(session, moderator, kind, state):
    entry = make_entry(session, "muu", type=kind, state=state)
    with pytest.raises(WorkflowError):
        normstatus.record(session, entry, moderator, "sent_to_ministry", DAY)


@pytest.mark.parametrize("status, kwargs, field", [
    ("law_changed", {}, "amending_act"),
    ("law_changed", {"amending_act": "ei numero"}, "amending_act"),
    ("sent_to_ministry", {"amending_act": "1/2024"}, "amending_act"),
    ("not_proceeding", {"reason": "  "}, "reason"),
    ("finished", {}, "status"),
])
def test_each_step_needs_its_facts(session, norm, moderator, status, kwargs, field):
    with pytest.raises(normstatus.StatusError) as caught:
        normstatus.record(session, norm, moderator, status, DAY, **kwargs)
    assert caught.value.field == field
    assert norm.norm_events == []


def test_no_step_in_the_future(session, norm, moderator):
    with pytest.raises(normstatus.StatusError) as caught:
        normstatus.record(session, norm, moderator, "sent_to_ministry", date(2030, 1, 1), today=date(2026, 11, 23))
    assert caught.value.field == "happened_on"


def test_browse_filters_and_counts_by_current_status(session, norm, moderator):
    other = make_entry(session, "tarveharkinta", type="norm", title="Tarveharkinta")
    make_entry(session, "piilossa", type="norm", state=EntryState.draft)
    normstatus.record(session, norm, moderator, "sent_to_ministry", date(2024, 1, 1))
    normstatus.record(session, norm, moderator, "not_proceeding", date(2024, 6, 1), reason="Ei edennyt.")
    normstatus.record(session, other, moderator, "sent_to_ministry", date(2024, 2, 1))
    session.commit()
    page = browse.list_entries(session, browse.Filters(norm_status="sent_to_ministry"))
    assert [e.slug for e in page.entries] == ["tarveharkinta"]
    assert dict(page.facets["norm_status"].counts) == {"sent_to_ministry": 1, "not_proceeding": 1}
    with pytest.raises(browse.FilterError):
        browse.parse_filters(session, {"norm_status": "done"})


def test_statistics_count_current_statuses_of_published_proposals(session, norm, moderator):
    from ideapankki import statistics

    make_entry(session, "odottaa", type="norm", title="Odottaa")
    make_entry(session, "luonnos", type="norm", state=EntryState.draft)
    normstatus.record(session, norm, moderator, "government_bill", date(2024, 4, 1))
    session.commit()
    counts = {c.key: c.count for c in statistics.norm_statuses(session)}
    assert counts["government_bill"] == 1 and counts[statistics.NOT_STATED] == 1
    assert sum(counts.values()) == 2  # the draft is not counted
