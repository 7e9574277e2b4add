"""No unpublished entry or pending edit ever appears in a follower's mail: drafts, entries in
review, returned, rejected or archived ones, and the text of an edit waiting for review."""

import pytest
from sqlmodel import select

from ideapankki import revisions
from ideapankki.content import EntryDocument
from ideapankki.models import Entry, EntryState

from factories import make_entry, make_member
from loopback_mail import smtp_inbox
from notify_world import follow, notify_here, record_norm_step, session_of

SECRET = "SALAISUUS"


@pytest.fixture
def site(app):
    return app


def test_nothing_unpublished_reaches_a_mail(site, tmp_path):
    with smtp_inbox(site, tmp_path / "mail") as box:
        with session_of(site) as session:
            author = make_member(session)
            norm = make_entry(session, "normi", type="norm", themes=["asuminen"], commit=False)
            norm.author_id, norm.organisation_id = author.id, author.organisation_id
            session.commit()
        for kind, value in (("all", ""), ("theme", "asuminen"), ("entry", "normi"), ("search", f"q={SECRET}"),
                            ("search", "q=normi")):
            follow(site, f"{kind}@example.fi", kind, value)
        with session_of(site) as session:
            for number, state in enumerate((EntryState.draft, EntryState.submitted, EntryState.in_review,
                                            EntryState.returned, EntryState.rejected)):
                make_entry(session, f"piilo-{number}", state=state, title=f"{SECRET} {state.value}",
                           summary=f"{SECRET}.", themes=["asuminen"])
            archived = make_entry(session, "arkistoitu", title=f"{SECRET} arkistoitu", themes=["asuminen"])
            archived.state = EntryState.archived.value  # published, then archived before the run
            entry = session.exec(select(Entry).where(Entry.slug == "normi")).one()
            doc = EntryDocument(slug="normi", type="norm", title=f"{SECRET} muokkaus", summary=f"{SECRET} tiivistelmä.",
                                body=SECRET)
            assert revisions.save_edit(session, entry, doc, [], author) is not None  # an edit waiting for review
            session.commit()
        record_norm_step(site, "normi")  # the published entry changes: it is in the mails
        counts = notify_here(site)
        assert counts["digests"] == 4 and len(box.messages) == 4  # all, theme, entry, the "normi" search
        for message in box.messages:
            text = str(message["Subject"]) + message.get_body().get_content()
            assert "Otsikko normi" in text
            assert SECRET not in text and "piilo" not in text and "arkistoitu" not in text
