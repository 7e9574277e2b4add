"""Moderators maintain the thesaurus on the site; an edit reaches another app instance's search at once."""

import re

import pytest

from clients import post_form, sign_in
from factories import make_user
from ideapankki import close_app, create_app, vocabulary
from ideapankki.models import Role


def form_data(concept):
    """The concept form's fields as the page fills them in."""
    data = {"key": concept.key, "broader": " ".join(concept.broader), "related": " ".join(concept.related),
            "exact_match": "\n".join(concept.exact_match), "theme": concept.theme or "",
            "region": concept.region or "", "note": concept.note}
    for language in ("fi", "sv", "en"):
        data[f"labels_{language}"] = "\n".join(concept.labels.get(language, []))
        data[f"hidden_{language}"] = "\n".join(concept.hidden.get(language, []))
    return data


@pytest.fixture
def moderator(app, app_session):
    make_user(app_session, "moderaattori@kuntaliitto.fi", role=Role.moderator)
    return sign_in(app.test_client(), "moderaattori@kuntaliitto.fi")


def test_only_moderators_see_the_thesaurus(app, app_session, client):
    assert client.get("/moderate/vocabulary/").status_code == 302  # to the log-in page
    make_user(app_session, "jasen@kajaani.fi")
    member = sign_in(app.test_client(), "jasen@kajaani.fi")
    assert member.get("/moderate/vocabulary/").status_code == 403
    assert member.get("/moderate/vocabulary/taksi").status_code == 403


def test_a_moderator_finds_a_concept_by_any_label(moderator):
    page = moderator.get("/moderate/vocabulary/?q=toimari")
    assert page.status_code == 200
    assert 'href="/moderate/vocabulary/toimeentulotuki"' in page.text
    assert "utkomststöd" in page.text


def test_an_edit_reaches_another_app_on_the_database_at_its_next_search(app, app_session, moderator, entry_factory,
                                                                        tmp_path):
    entry_factory("kylien-kyytipalvelu", title="Kyläläisten kyytipalvelu",
                  summary="Kyläläiset yhdistävät asiointimatkansa samaan autoon.")
    other = create_app({"TESTING": True, "INSTANCE_DIR": tmp_path / "other-instance", "SECRET_KEY": "test-secret",
                        "DATABASE_URL": app.config["DATABASE_URL"]})  # another server with its own index
    try:
        reader = other.test_client()

        def found():
            return [hit["slug"] for hit in reader.get("/api/v1/search?q=kyytiringi").get_json()["results"]]

        assert found() == []
        data = form_data(vocabulary.concept(app_session, "taksi"))  # its labels include kyytipalvelu
        data["labels_fi"] += "\nkyytiringi"
        saved = post_form(moderator, "/moderate/vocabulary/taksi", data, follow=True)
        assert saved.status_code == 200 and "kyytiringi" in saved.text  # the page and its audit log
        assert found() == ["kylien-kyytipalvelu"]
        assert "Kyläläisten kyytipalvelu" in reader.get("/search?q=kyytiringi").text
    finally:
        close_app(other)
    row = vocabulary.history(app_session, key="taksi")[0]
    assert row.action == "update" and "kyytiringi" in row.summary


def test_bad_input_is_shown_at_its_field_and_nothing_is_lost(moderator, app_session):
    data = {"key": "uusi-kasite", "labels_fi": "Kotihoito\nkotikäyntiapu", "labels_sv": "hembesökshjälp",
            "broader": "ei-ole-olemassa", "related": "", "exact_match": "yso:p123", "theme": "", "region": "",
            "note": "", "labels_en": "", "hidden_fi": "", "hidden_sv": "", "hidden_en": ""}
    page = post_form(moderator, "/moderate/vocabulary/new", data)
    assert page.status_code == 400
    assert "kotihoito on jo käsitteen kotihoito termi" in page.text  # the page speaks Finnish by default
    assert "ei-ole-olemassa" in page.text and 'id="broader-error"' in page.text
    assert 'id="exact_match-error"' in page.text
    assert "kotikäyntiapu" in page.text and "hembesökshjälp" in page.text  # the typed values stay
    assert vocabulary.concept(app_session, "uusi-kasite") is None


def test_forms_need_their_csrf_token(moderator, app_session):
    assert moderator.post("/moderate/vocabulary/taksi/delete").status_code == 400
    page = moderator.post("/moderate/vocabulary/new", data={"key": "x", "labels_fi": "x"})
    assert page.status_code == 400 and vocabulary.concept(app_session, "x") is None


def test_a_moderator_adds_and_deletes_a_concept(moderator, app_session):
    data = {"key": "kotikaynnit", "labels_fi": "kotikäyntiapu", "labels_sv": "hembesökshjälp",
            "labels_en": "home visit help", "broader": "kotihoito", "related": "", "exact_match": "",
            "theme": "", "region": "", "note": "", "hidden_fi": "kotikäyntiavut", "hidden_sv": "", "hidden_en": ""}
    assert post_form(moderator, "/moderate/vocabulary/new", data).status_code == 302
    assert vocabulary.concept(app_session, "kotikaynnit").hidden == {"fi": ["kotikäyntiavut"]}
    page = moderator.get("/moderate/vocabulary/kotikaynnit")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
    deleted = moderator.post("/moderate/vocabulary/kotikaynnit/delete", data={"csrf_token": token})
    assert deleted.status_code == 302
    assert vocabulary.concept(app_session, "kotikaynnit") is None
