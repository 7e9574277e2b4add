"""A moderator records what became of a norm proposal; everyone sees the timeline, filters and the API."""

import re

import pytest

from clients import PASSWORD, sign_in
from ideapankki import accounts
from ideapankki.models import Role


def _post(client, slug, data):
    page = client.get(f"/entries/{slug}").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    return client.post(f"/entries/{slug}/norm-status", data={**data, "csrf_token": token})


@pytest.fixture
def moderator(app, app_session):
    accounts.add_user(app_session, email="mod@kuntaliitto.fi", role=Role.moderator, password=PASSWORD, name="Mod")
    app_session.commit()
    client = app.test_client()
    sign_in(client, "mod@kuntaliitto.fi")
    return client


@pytest.fixture
def norm(entry_factory):
    return entry_factory("kelpoisuus", type="norm", title="Kelpoisuusvaatimukset joustaviksi")


def test_moderator_records_steps_and_everyone_sees_the_timeline(client, moderator, norm):
    assert 'name="happened_on"' not in client.get("/entries/kelpoisuus").text  # the public gets no form
    sent = _post(moderator, "kelpoisuus", {"status": "sent_to_ministry", "happened_on": "2024-01-15",
                                           "note": "Lähetetty opetus- ja kulttuuriministeriölle."})
    assert sent.status_code == 302
    changed = _post(moderator, "kelpoisuus", {"status": "law_changed", "happened_on": "2024-08-01",
                                              "amending_act": "1234/2024"})
    assert changed.status_code == 302
    page = client.get("/entries/kelpoisuus").text
    assert "Nykyinen tila:" in page and "<strong>Laki muutettu</strong>" in page
    assert page.index("15.1.2024") < page.index("1.8.2024")
    assert "https://www.finlex.fi/fi/lainsaadanto/2024/1234" in page
    body = client.get("/api/v1/entries/kelpoisuus").get_json()
    assert body["norm_status"] == "law_changed"
    assert [s["status"] for s in body["norm_status_history"]] == ["sent_to_ministry", "law_changed"]
    listing = client.get("/entries?norm_status=law_changed").text
    assert "Kelpoisuusvaatimukset joustaviksi" in listing
    assert "Kelpoisuusvaatimukset" not in client.get("/entries?norm_status=sent_to_ministry").text
    search = client.get("/api/v1/search?q=kelpoisuusvaatimus&norm_status=law_changed").get_json()
    assert [r["slug"] for r in search["results"]] == ["kelpoisuus"]
    assert {"value": "law_changed", "count": 1} in search["facets"]["norm_status"]


def test_a_step_with_missing_facts_shows_field_errors_and_saves_nothing(client, moderator, norm):
    response = _post(moderator, "kelpoisuus", {"status": "law_changed", "happened_on": "2024-08-01"})
    assert response.status_code == 400
    assert 'id="amending_act-error"' in response.text and 'aria-invalid="true"' in response.text
    reason = _post(moderator, "kelpoisuus", {"status": "not_proceeding", "happened_on": "2024-08-01"})
    assert reason.status_code == 400 and 'id="reason-error"' in reason.text
    assert client.get("/api/v1/entries/kelpoisuus").get_json()["norm_status_history"] == []


def test_members_cannot_record_steps(app, app_session, norm):
    accounts.add_user(app_session, email="maija@kajaani.fi", role=Role.member, password=PASSWORD, name="Maija")
    app_session.commit()
    member = app.test_client()
    sign_in(member)
    page = member.get("/entries/kelpoisuus").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    data = {"status": "sent_to_ministry", "happened_on": "2024-01-15", "csrf_token": token.group(1) if token else ""}
    assert member.post("/entries/kelpoisuus/norm-status", data=data).status_code == 403


def test_feeds_carry_the_status_and_follow_a_status_filter(client, moderator, norm, entry_factory):
    import feedparser

    entry_factory("toinen", type="norm", title="Toinen ehdotus")
    assert _post(moderator, "kelpoisuus", {"status": "government_bill", "happened_on": "2024-05-02"}).status_code == 302
    feed = feedparser.parse(client.get("/feeds/type/norm.atom").data)
    assert not feed.bozo
    tags = {e.link.rsplit("/", 1)[-1]: {t.term for t in e.get("tags", [])} for e in feed.entries}
    assert "government_bill" in tags["kelpoisuus"] and "government_bill" not in tags["toinen"]
    followed = feedparser.parse(client.get("/feeds/search.atom?norm_status=government_bill").data)
    assert [e.link.rsplit("/", 1)[-1] for e in followed.entries] == ["kelpoisuus"]
