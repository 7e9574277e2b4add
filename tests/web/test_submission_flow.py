"""The whole path of a norm proposal, as people do it in the site (test client, real SMTP)."""

import re

import pytest
from sqlmodel import select

from ideapankki import accounts
from ideapankki.models import Entry, Role, Transition
from ideapankki.web.index import SEARCH_KEY

from clients import PASSWORD, log_in, post_form, sign_in
from test_accounts_web import register

NORM = {
    "title": "Joustavat ryhmäkoot perusopetuksessa pienissä kunnissa",
    "summary": "Pienet kunnat voisivat muodostaa opetusryhmät joustavasti kokeilun aikana.",
    "body": "## Mitä ehdotetaan\n\nRyhmäkokoja koskevista säännöistä poikettaisiin kokeilussa.",
    "language": "fi", "municipalities": "Kuhmo, Sotkamo", "themes": ["koulutus"], "tags": "perusopetus, ryhmäkoko",
    "law_title": "Perusopetuslaki", "law_number": "628/1998", "law_section": "",
    "links": "", "action": "trial_exemption", "justification": "Pienissä kouluissa ryhmät vaihtelevat.",
    "savings": "Opettajien työaikaa.", "time": "", "people": "Noin 500 oppilasta.", "proposer_role": "official",
}


def token_of(html):
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def act(client, slug, action, comment="", confirmed="yes"):
    page = client.get(f"/moderation/{slug}")
    return client.post(f"/entries/{slug}/act", data={"csrf_token": token_of(page.text), "action": action,
                                                     "comment": comment, "confirmed": confirmed})


def form_data(**changes):
    data = {**NORM, **changes}
    return data


@pytest.fixture
def moderator_client(app, app_session):
    accounts.add_user(app_session, email="mod@kuntaliitto.fi", role=Role.moderator, password=PASSWORD,
                      name="Moderaattori")
    app_session.commit()
    client = app.test_client()
    sign_in(client, "mod@kuntaliitto.fi")
    return client


@pytest.fixture
def member(app, app_session):
    """A logged-in, approved member of Kajaani, as a browser."""
    org = accounts.find_or_create_organisation(app_session, "Kajaani")
    accounts.add_user(app_session, email="maija@kajaani.fi", role=Role.member, password=PASSWORD, organisation=org,
                      name="Maija Meikäläinen")
    app_session.commit()
    client = app.test_client()
    assert log_in(client).status_code == 302
    return client


def test_norm_proposal_from_registration_to_publication_and_edit(app, client, inbox, moderator_client, app_session):
    # register, confirm, get approved
    register(client)
    client.get(inbox.last_link())
    sign_in(client)
    user = accounts.get_by_email(app_session, "maija@kajaani.fi")
    assert client.get("/new/norm").status_code == 403  # not approved yet
    queue = moderator_client.get("/admin/memberships").text
    moderator_client.post(f"/admin/memberships/{user.id}/approve", data={"csrf_token": token_of(queue)})

    # preview shows the rendered text; a missing required field is an error on that field
    preview = post_form(client, "/new/norm", {**form_data(), "do": "preview"})
    assert preview.status_code == 200 and '<h2 id="md-mitä-ehdotetaan">' in preview.text
    missing = post_form(client, "/new/norm", {**form_data(justification=""), "do": "submit"})
    assert missing.status_code == 400 and 'id="justification-error"' in missing.text

    # submit: moderators hear of it
    sent = post_form(client, "/new/norm", {**form_data(), "do": "submit"})
    assert sent.status_code == 302
    app_session.expire_all()
    entry = app_session.exec(select(Entry)).one()
    assert entry.state == "submitted" and entry.author_id == user.id
    assert entry.proposal_action == "trial_exemption" and [m.name_fi for m in entry.municipalities] == ["Kuhmo", "Sotkamo"]
    assert inbox.messages[-1]["To"] == "mod@kuntaliitto.fi"
    assert client.get(f"/entries/{entry.slug}").status_code == 404  # not public

    # moderator takes it into review and returns it with a comment
    assert act(moderator_client, entry.slug, "take").status_code == 302
    missing = act(moderator_client, entry.slug, "return")  # a comment is required: said at the field
    assert missing.status_code == 400 and 'id="comment-error"' in missing.text
    assert act(moderator_client, entry.slug, "return", "Lisää arvio säästöistä.").status_code == 302
    assert inbox.messages[-1]["To"] == "maija@kajaani.fi"
    assert "Lisää arvio säästöistä." in client.get("/my").text
    assert inbox.last_link() == f"/entries/{entry.slug}/status"  # the mail leads to the status page
    assert "Lisää arvio säästöistä." in client.get(inbox.last_link()).text

    # the author fixes it and sends it again
    fixed = post_form(client, f"/entries/{entry.slug}/edit",
                      {**form_data(savings="Noin 20 000 euroa vuodessa."), "do": "submit"})
    assert fixed.status_code == 302
    assert act(moderator_client, entry.slug, "take").status_code == 302
    assert act(moderator_client, entry.slug, "publish").status_code == 302
    assert act(moderator_client, entry.slug, "publish").status_code == 409  # already published

    # public and searchable
    anonymous = app.test_client()
    page = anonymous.get(f"/entries/{entry.slug}")
    assert page.status_code == 200 and "Noin 20 000 euroa vuodessa." in page.text
    app.extensions[SEARCH_KEY].catch_up()
    found = anonymous.get("/api/v1/search?q=ryhmäkoot").json
    assert [r["slug"] for r in found["results"]] == [entry.slug]

    # the author edits the published entry: the live text stays until the edit is approved
    edit = post_form(client, f"/entries/{entry.slug}/edit",
                     {**form_data(summary="Uusi tiivistelmä, jota ei vielä julkaista."), "do": "submit"})
    assert edit.status_code == 302
    assert "Uusi tiivistelmä" not in anonymous.get(f"/entries/{entry.slug}").text
    review = moderator_client.get(f"/moderation/{entry.slug}").text
    assert "Uusi tiivistelmä, jota ei vielä julkaista." in review  # shown as a diff
    assert act(moderator_client, entry.slug, "take").status_code == 302
    assert act(moderator_client, entry.slug, "publish").status_code == 302
    assert "Uusi tiivistelmä, jota ei vielä julkaista." in anonymous.get(f"/entries/{entry.slug}").text

    # every step is in the audit log
    app_session.expire_all()
    moves = [(t.from_state, t.to_state) for t in app_session.exec(
        select(Transition).where(Transition.entry_id == entry.id).order_by(Transition.id))]
    assert moves == [("draft", "submitted"), ("submitted", "in_review"), ("in_review", "returned"),
                     ("returned", "submitted"), ("submitted", "in_review"), ("in_review", "published"),
                     ("draft", "submitted"), ("submitted", "in_review"), ("in_review", "published")]


def test_a_moderator_cannot_publish_their_own_entry(app, moderator_client, app_session):
    sent = post_form(moderator_client, "/new/idea", {**form_data(), "do": "submit"})
    assert sent.status_code == 302
    entry = app_session.exec(select(Entry)).one()
    assert act(moderator_client, entry.slug, "take").status_code == 302
    assert act(moderator_client, entry.slug, "publish").status_code == 403
    other = app.test_client()
    accounts.add_user(app_session, email="mod2@kuntaliitto.fi", role=Role.moderator, password=PASSWORD)
    app_session.commit()
    sign_in(other, "mod2@kuntaliitto.fi")
    assert act(other, entry.slug, "publish").status_code == 302


def test_posting_extra_fields_changes_nothing(app, member, moderator_client, app_session):
    org = accounts.find_or_create_organisation(app_session, "Kajaani")
    post_form(member, "/new/idea", {**form_data(), "do": "save", "state": "published", "author_id": "999",
                                    "organisation_id": "1234", "role": "admin", "slug": "oma-osoite"})
    app_session.expire_all()
    entry = app_session.exec(select(Entry)).one()
    assert entry.state == "draft" and entry.slug != "oma-osoite"
    assert entry.author_id != 999 and entry.organisation_id == org.id
    assert accounts.get_by_email(app_session, "maija@kajaani.fi").role == "member"


def test_rejection_reason_is_public_without_personal_data(app, member, moderator_client, app_session):
    post_form(member, "/new/idea", {**form_data(), "do": "submit"})
    entry = app_session.exec(select(Entry)).one()
    act(moderator_client, entry.slug, "take")
    assert act(moderator_client, entry.slug, "reject", "Ehdotus kuuluu valtion päätettäväksi.").status_code == 302
    log = app.test_client().get("/moderation-log").text
    assert "Ehdotus kuuluu valtion päätettäväksi." in log and "Kajaani" in log
    assert entry.title in log  # the author agreed to it at submission (the form says so)
    assert "Maija" not in log and "maija@kajaani.fi" not in log


def test_queue_filters_and_counts(app, member, moderator_client, app_session):
    post_form(member, "/new/idea", {**form_data(title="Idea yksi"), "do": "submit"})
    post_form(member, "/new/norm", {**form_data(title="Normi kaksi"), "do": "submit"})
    page = moderator_client.get("/moderation").text
    assert "Idea yksi" in page and "Normi kaksi" in page
    only_norms = moderator_client.get("/moderation?type=norm").text
    assert "Normi kaksi" in only_norms and "Idea yksi" not in only_norms
    assert moderator_client.get("/moderation?state=bogus").status_code == 400
    assert member.get("/moderation").status_code == 403


def test_revision_history_and_diff(app, member, moderator_client, app_session):
    post_form(member, "/new/idea", {**form_data(), "do": "save"})
    entry = app_session.exec(select(Entry)).one()
    post_form(member, f"/entries/{entry.slug}/edit", {**form_data(summary="Toinen versio <script>x</script>"),
                                                      "do": "save"})
    history = member.get(f"/entries/{entry.slug}/revisions").text
    assert "/diff?a=1&amp;b=2" in history
    diff = member.get(f"/entries/{entry.slug}/diff?a=1&b=2").text
    assert "<dt>Tiivistelmä</dt>" in diff and "<dt>Otsikko</dt>" not in diff  # changed fields only, in Finnish
    assert "Toinen versio &lt;script&gt;x&lt;/script&gt;</ins>" in diff and "<script>x" not in diff
    assert "Pienet kunnat" in diff and "<del>" in diff
    assert app.test_client().get(f"/entries/{entry.slug}/diff?a=1&b=2").status_code == 302
