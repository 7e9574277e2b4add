"""The entry page's loader: the entry and all its lists in two statements, equal to what lazy loading reads."""

from datetime import date

import pytest
from sqlmodel import Session

from factories import make_entry, make_user, mark_by_many
from ideapankki import adoptions, entry_lists, normstatus, relations
from ideapankki.models import EntryState, Role

LISTS = ("municipalities", "theme_slugs", "tags", "laws", "contacts", "links", "relations", "norm_events")
COLUMNS = {
    "municipalities": ("code", "name_fi", "name_sv", "region_code", "region_fi", "region_sv", "language_ratio"),
    "laws": ("id", "position", "title", "number", "section"),
    "contacts": ("id", "position", "name", "role", "email", "organisation", "phone", "agreed"),
    "links": ("id", "position", "title", "url"),
    "relations": ("id", "position", "kind", "target_slug"),
    "norm_events": ("id", "status", "happened_on", "note", "amending_act", "reason", "recorded_by", "recorded_at"),
}


def _lists(entry) -> dict:
    """ENTRY's lists as plain values, column by column."""
    found = {}
    for name in LISTS:
        value = getattr(entry, name)
        found[name] = [tuple(getattr(item, c) for c in COLUMNS[name]) for item in value] if name in COLUMNS else value
    return found


def _lazily(engine, slug: str) -> dict:
    from ideapankki import browse

    with Session(engine) as session:
        return _lists(browse.get_published(session, slug))


@pytest.fixture
def full(session):
    """A norm proposal with every list in a non-trivial order, linked to and from, with steps recorded."""
    make_entry(session, "kohde", type="practice", title="Kohde")
    entry = make_entry(
        session, "kaikki", type="norm", title="Kaikki", municipalities=["Oulu", "Kajaani", "Helsinki"],
        themes=["koulutus", "hallinto"], tags=["ö-tunniste", "alku", "keski"],
        laws=[{"title": "Kuntalaki", "number": "410/2015", "section": "1 §"}, {"title": "Perusopetuslaki"}],
        contacts=[{"name": "Maija", "role": "Johtaja", "email": "maija@oulu.fi", "phone": "040 123"},
                  {"name": "Ei julkinen", "agreed": False}],
        links=[{"title": "Toinen", "url": "https://b.example"}, {"title": "Ensimmäinen", "url": "https://a.example"}],
        relations=[{"kind": "similar_to", "entry": "kohde"}, {"kind": "based_on", "entry": "puuttuu"}])
    make_entry(session, "lahde", type="idea", title="Lähde", relations=[{"kind": "needs_norm_change", "entry": "kaikki"}])
    moderator = make_user(session, "moderaattori@kuntaliitto.fi", role=Role.moderator)
    normstatus.record(session, entry, moderator, "law_changed", date(2024, 9, 1), amending_act="1234/2024")
    normstatus.record(session, entry, moderator, "sent_to_ministry", date(2024, 1, 10), note="Lähetetty")
    session.commit()
    return entry


def test_the_lists_equal_the_lazily_loaded_ones(engine, full):
    expected = _lazily(engine, "kaikki")
    assert len(expected["municipalities"]) == 3 and len(expected["norm_events"]) == 2 and expected["laws"]
    with Session(engine) as session:
        loaded = entry_lists.load(session, "kaikki")
        assert _lists(loaded.entry) == expected
        assert loaded.linked_here and loaded.adoption_rows == []
        assert not session.new and not session.dirty  # nothing for the session to write
        lists = [(link.kind, link.direction, link.entry.slug) for link in relations.links(session, loaded.entry)]
        assert [(link.kind, link.direction, link.entry.slug)
                for link in relations.links(session, loaded.entry, loaded.linked_here)] == lists
        session.commit()  # the page's request ends with a commit: the set lists are not written
    assert _lazily(engine, "kaikki") == expected


def test_an_entry_without_lists_and_nothing_linking_here(engine, session):
    make_entry(session, "tyhja", type="idea", title="Tyhjä")
    with Session(engine) as fresh:
        loaded = entry_lists.load(fresh, "tyhja")
        assert _lists(loaded.entry) == {name: [] for name in LISTS}
        assert not loaded.linked_here and relations.links(fresh, loaded.entry, loaded.linked_here) == []


def test_adoption_counts_equal_the_counting_query(engine, session):
    entry = make_entry(session, "suosittu", municipalities=["Oulu"])
    mark_by_many(session, entry, 7)
    session.commit()
    with Session(engine) as fresh:
        loaded = entry_lists.load(fresh, "suosittu")
        counts = adoptions.counted(loaded.adoption_rows)
        assert counts == adoptions.counts(fresh, loaded.entry) and counts.total == 7


def test_only_published_entries_and_their_published_sources(engine, session):
    make_entry(session, "luonnos", state=EntryState.draft)
    make_entry(session, "julkinen")
    make_entry(session, "piilotettu-lahde", state=EntryState.draft, relations=[{"kind": "based_on", "entry": "julkinen"}])
    with Session(engine) as fresh:
        assert entry_lists.load(fresh, "luonnos") is None
        assert entry_lists.load(fresh, "puuttuu") is None
        assert not entry_lists.load(fresh, "julkinen").linked_here
