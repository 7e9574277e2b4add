"""The moderator's and the author's working day: truthful refusals (one test per class), confirmation of
irreversible actions, the author's status page, four eyes and appeals, through the site."""

import re

import pytest
from sqlmodel import select

from ideapankki import accounts
from ideapankki.models import Entry, Role, Transition

from clients import PASSWORD, post_form, sign_in

IDEA = {"title": "Kirjastoauto kyläkouluille", "summary": "Kirjastoauto kiertäisi kyläkoulut viikoittain.",
        "body": "Kirjastoauto pysähtyisi jokaisella kyläkoululla kerran viikossa.", "language": "fi",
        "municipalities": "Kuhmo", "themes": ["koulutus"], "tags": "kirjasto", "links": "", "origin": ""}


def token_of(html):
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def act(client, slug, action, comment="", **extra):
    page = client.get(f"/entries/{slug}/status" if action in ("submit", "appeal") else f"/moderation/{slug}")
    return client.post(f"/entries/{slug}/act", data={"csrf_token": token_of(page.text), "action": action,
                                                     "comment": comment, **extra})


def person(app, app_session, email, role, org=None, name=None):
    accounts.add_user(app_session, email=email, role=role, password=PASSWORD, organisation=org, name=name or email)
    app_session.commit()
    return sign_in(app.test_client(), email)


@pytest.fixture
def people(app, app_session):
    kajaani = accounts.find_or_create_organisation(app_session, "Kajaani")
    return {"author": person(app, app_session, "maija@kajaani.fi", Role.member, kajaani, "Maija"),
            "mod1": person(app, app_session, "mod1@kuntaliitto.fi", Role.moderator, name="Moderaattori Yksi"),
            "mod2": person(app, app_session, "mod2@kuntaliitto.fi", Role.moderator, name="Moderaattori Kaksi")}


@pytest.fixture
def in_review(people, app_session):
    """An idea Maija sent, taken into review by mod1."""
    assert post_form(people["author"], "/new/idea", {**IDEA, "do": "submit"}).status_code == 302
    slug = app_session.exec(select(Entry.slug)).one()
    assert act(people["mod1"], slug, "take").status_code == 302
    return slug


def state_of(app_session, slug):
    app_session.expire_all()
    return app_session.exec(select(Entry).where(Entry.slug == slug)).one().state


def test_a_missing_comment_is_said_at_the_comment_field_not_as_a_conflict(people, in_review, app_session):
    for action in ("return", "reject"):
        page = act(people["mod1"], in_review, action, "   ")
        assert page.status_code == 400
        assert 'id="comment-error"' in page.text and 'aria-invalid="true"' in page.text
        assert "Joku muu" not in page.text and state_of(app_session, in_review) == "in_review"


def test_a_refusal_by_rule_keeps_what_was_typed(people, in_review, app_session):
    """Four eyes: mod1 rewrote the text in review, so mod1 may not publish it; the comment stays."""
    edit = post_form(people["mod1"], f"/entries/{in_review}/edit", {**IDEA, "summary": "Moderaattorin muotoilu.",
                                                                    "do": "save"})
    assert edit.status_code == 302
    page = act(people["mod1"], in_review, "publish", "Hyvä ehdotus, julkaisen.")
    assert page.status_code == 403 and "Hyvä ehdotus, julkaisen." in page.text
    assert 'id="comment-error"' in page.text and "neljän silmän" in page.text
    assert state_of(app_session, in_review) == "in_review"
    assert act(people["mod2"], in_review, "publish").status_code == 302
    assert state_of(app_session, in_review) == "published"


def test_409_only_for_a_real_concurrent_change(people, in_review, app_session):
    """mod2's page showed 'submitted'; mod1 took it meanwhile: 409 naming what happened, comment kept.
    A move the page did not offer from an unchanged state is a 400 with the reason."""
    page = people["mod2"].get(f"/moderation/{in_review}")
    stale = people["mod2"].post(f"/entries/{in_review}/act", data={
        "csrf_token": token_of(page.text), "action": "take", "seen": "submitted", "comment": "Otan tämän."})
    assert stale.status_code == 409 and "Moderaattori Yksi" in stale.text and "Otan tämän." in stale.text
    unchanged = people["mod2"].post(f"/entries/{in_review}/act", data={
        "csrf_token": token_of(page.text), "action": "take", "seen": "in_review"})
    assert unchanged.status_code == 400 and 'id="comment-error"' in unchanged.text


def test_irreversible_actions_ask_for_confirmation_without_javascript(people, in_review, app_session):
    asked = act(people["mod1"], in_review, "reject", "Ei kuulu kunnille.")
    assert asked.status_code == 200 and 'name="confirmed" value="yes"' in asked.text
    assert "Ei kuulu kunnille." in asked.text and state_of(app_session, in_review) == "in_review"
    done = act(people["mod1"], in_review, "reject", "Ei kuulu kunnille.", confirmed="yes")
    assert done.status_code == 302 and state_of(app_session, in_review) == "rejected"


def test_an_edit_refused_by_a_change_of_state_keeps_the_typed_text(people, app_session):
    assert post_form(people["author"], "/new/idea", {**IDEA, "do": "save"}).status_code == 302
    slug = app_session.exec(select(Entry.slug)).one()
    form = people["author"].get(f"/entries/{slug}/edit")
    assert act(people["author"], slug, "submit").status_code == 302
    assert act(people["mod1"], slug, "take").status_code == 302
    late = people["author"].post(f"/entries/{slug}/edit", data={
        **IDEA, "summary": "Myöhästynyt muutos.", "do": "save", "csrf_token": token_of(form.text)})
    assert late.status_code == 409 and "Myöhästynyt muutos." in late.text and "Tarkastettavana" in late.text
    refused = people["author"].get(f"/entries/{slug}/edit")
    assert refused.status_code == 403 and "moderaattori" in refused.text.lower()


def test_the_author_follows_the_entry_on_a_status_page(people, in_review, app_session):
    assert act(people["mod1"], in_review, "return", "Lisää aikataulu.").status_code == 302
    assert people["author"].get(f"/moderation/{in_review}").headers["Location"].endswith(f"/entries/{in_review}/status")
    status = people["author"].get(f"/entries/{in_review}/status").text
    assert status.index("Lisää aikataulu.") < status.index('id="history-title"')  # the comment at the top
    assert "Kommentti tekijälle" not in status and f"/entries/{in_review}/edit" in status
    assert "Lisää aikataulu." in people["author"].get(f"/entries/{in_review}/edit").text
    assert f"/entries/{in_review}/status" in people["author"].get("/my").text


def test_an_author_appeals_once_and_another_moderator_decides(app, people, in_review, app_session):
    assert act(people["mod1"], in_review, "reject", "Ei kuulu kunnille.", confirmed="yes").status_code == 302
    empty = act(people["author"], in_review, "appeal", "")
    assert empty.status_code == 400 and 'id="comment-error"' in empty.text
    assert act(people["author"], in_review, "appeal", "Kunnat ylläpitävät kirjastoja.").status_code == 302
    again = people["author"].post(f"/entries/{in_review}/act", data={
        "csrf_token": token_of(people["author"].get(f"/entries/{in_review}/status").text), "action": "appeal",
        "comment": "Uudestaan."})
    assert again.status_code == 403 and "Uudestaan." in again.text
    queue = people["mod2"].get("/moderation").text
    assert IDEA["title"] in queue and "uudelleenkäsittelyä pyydetty" in queue.lower()
    assert "Kunnat ylläpitävät kirjastoja." in people["mod2"].get(f"/moderation/{in_review}").text
    own = act(people["mod1"], in_review, "reopen", "Avaan.")
    assert own.status_code == 403 and "Avaan." in own.text  # the rejecter does not decide
    assert act(people["mod2"], in_review, "uphold", "Päätös pysyy.").status_code == 200  # confirm first
    assert act(people["mod2"], in_review, "uphold", "Päätös pysyy.", confirmed="yes").status_code == 302
    log = app.test_client().get("/moderation-log").text
    assert "Päätös pysyy." in log and IDEA["title"] in log and "Ei kuulu kunnille." in log
    assert "Kunnat ylläpitävät kirjastoja." not in log  # the author's reasons are not published
    assert state_of(app_session, in_review) == "rejected"


def test_a_reopened_appeal_goes_back_into_review(people, in_review, app_session):
    assert act(people["mod1"], in_review, "reject", "Ei.", confirmed="yes").status_code == 302
    assert act(people["author"], in_review, "appeal", "Perustelut.").status_code == 302
    assert act(people["mod2"], in_review, "reopen", "Katsotaan uudestaan.").status_code == 302
    assert state_of(app_session, in_review) == "in_review"
    actions = [t.action for t in app_session.exec(select(Transition).order_by(Transition.id))]
    assert actions[-3:] == ["reject", "appeal", "reopen"]


def test_the_author_hears_of_a_decision_in_the_language_of_their_account(people, in_review, app_session, inbox):
    """The entry is Finnish, the author reads Swedish: the mail follows the account, not the entry."""
    author = accounts.get_by_email(app_session, "maija@kajaani.fi")
    author.language = "sv"
    app_session.commit()
    assert act(people["mod1"], in_review, "return", "Lisää kustannukset.").status_code == 302
    returned = inbox.messages[-1]
    assert (returned["To"], returned["Subject"]) == (
        "maija@kajaani.fi", "Din post returnerades för ändringar: Kirjastoauto kyläkouluille")
    assert "Lisää kustannukset." in returned.get_body().get_content()
    author.language = "en"
    app_session.commit()
    assert act(people["author"], in_review, "submit").status_code == 302
    assert act(people["mod1"], in_review, "take").status_code == 302
    assert act(people["mod1"], in_review, "publish").status_code == 302
    assert inbox.messages[-1]["Subject"] == "Your entry has been published: Kirjastoauto kyläkouluille"


def test_a_single_moderator_site_lets_an_admin_waive_four_eyes_and_logs_it(app, app_session):
    app.config["SINGLE_MODERATOR"] = True
    admin = person(app, app_session, "admin@kuntaliitto.fi", Role.admin, name="Ainoa")
    assert post_form(admin, "/new/idea", {**IDEA, "do": "submit"}).status_code == 302
    slug = app_session.exec(select(Entry.slug)).one()
    assert act(admin, slug, "take").status_code == 302
    assert act(admin, slug, "publish").status_code == 403  # not without asking to
    assert act(admin, slug, "publish", waive="yes").status_code == 302
    assert app_session.exec(select(Transition).where(Transition.action == "publish")).one().waived
    assert "Neljän silmän" in app.test_client().get("/moderation-log").text or \
        "neljän silmän" in app.test_client().get("/moderation-log").text


def test_the_review_page_shows_every_field_the_submitter_and_a_near_copy(app, people, app_session, entry_factory):
    from ideapankki.web.index import SEARCH_KEY

    entry_factory("kirjastoauto", type="idea", title=IDEA["title"], summary=IDEA["summary"], body=IDEA["body"])
    app.extensions[SEARCH_KEY].catch_up()
    copy = {**IDEA, "origin": "Kuntamarkkinat 2022", "links": "Kirjasto | https://kirjasto.example.fi/auto",
            "relations-0-kind": "similar_to", "relations-0-entry": "kirjastoauto", "do": "submit"}
    assert post_form(people["author"], "/new/idea", copy).status_code == 302
    slug = app_session.exec(select(Entry.slug).where(Entry.slug != "kirjastoauto")).one()
    page = people["mod1"].get(f"/moderation/{slug}").text
    assert "Mahdollinen kaksoiskappale" in page and "% sanoista yhteisiä" in page and "/entries/kirjastoauto" in page
    for shown in ("Kuntamarkkinat 2022", "https://kirjasto.example.fi/auto", "maija@kajaani.fi", "Kajaani",
                  "Samankaltainen", "Koulutus"):
        assert shown in page, shown
    assert 'class="review-structured"' not in page  # an idea without structured parts: no empty section


def test_a_pending_edit_shows_its_changed_fields_in_the_readers_language(people, app_session, entry_factory):
    from ideapankki import revisions, workflow
    from ideapankki.content import EntryDocument
    from ideapankki.models import User

    maija = app_session.exec(select(User).where(User.email == "maija@kajaani.fi")).one()
    entry = entry_factory("normi", type="norm", title="Joustavat ryhmäkoot", summary="Pienet kunnat joustaisivat.",
                          proposal={"action": "loosen", "justification": "Ryhmät vaihtelevat.", "proposer_role": "official"},
                          laws=[{"title": "Perusopetuslaki", "number": "628/1998"}])
    entry.organisation_id, entry.author_id = maija.organisation_id, maija.id
    app_session.commit()
    doc = EntryDocument(slug="normi", type="norm", title="Joustavat ryhmäkoot", summary="Pienet kunnat joustaisivat aina.",
                        proposal={"action": "remove", "justification": "Ryhmät vaihtelevat.", "proposer_role": "official"},
                        laws=[{"title": "Perusopetuslaki", "number": "628/1998"}], body="Teksti.")
    revisions.save_edit(app_session, entry, doc, [], maija)
    workflow.act(app_session, entry, workflow.Action.submit, maija)
    app_session.commit()
    page = people["mod1"].get("/moderation/normi").text
    diff = page[page.index('class="field-diff"'):page.index("</dl>", page.index('class="field-diff"'))]
    assert "<dt>Tiivistelmä</dt>" in diff and "<ins><span class=\"visually-hidden\">Lisätty: </span> aina</ins>" in diff
    assert "Säännös poistetaan" in diff and "<dt>Otsikko</dt>" not in diff and "summary:" not in page
