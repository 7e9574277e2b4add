"""Registering for any kind of organisation, and an admin adding one to the register."""

import re

from sqlmodel import select

from ideapankki import accounts
from ideapankki.models import Organisation, Role, User

from clients import PASSWORD, post_form, sign_in


def test_the_register_form_offers_organisations_by_kind_in_the_readers_language(client):
    finnish = client.get("/register").text
    groups = re.findall(r'<optgroup label="([^"]+)">', finnish)
    assert groups == ["Kunnat", "Hyvinvointialueet", "Maakuntien liitot", "Kuntayhtymät", "Suomen Kuntaliitto",
                      "Ministeriöt"]
    assert ">Kainuun hyvinvointialue</option>" in finnish and '<label for="municipality">Organisaatio' in finnish
    swedish = client.get("/register?lang=sv").text
    assert ">Kajanalands välfärdsområde</option>" in swedish and ">Välfärdsområden<" not in swedish
    assert '<optgroup label="Välfärdsområden">' in swedish


def test_an_official_of_a_wellbeing_services_county_registers(client, app_session):
    county = app_session.exec(select(Organisation).where(Organisation.name == "Kainuun hyvinvointialue")).one()
    answer = post_form(client, "/register", {"name": "Hilkka Hoitaja", "email": "hilkka@kainuunhyvinvointialue.fi",
                                             "municipality": f"org-{county.id}", "password": PASSWORD,
                                             "confirm": PASSWORD})
    assert answer.status_code == 200
    user = app_session.exec(select(User).where(User.email == "hilkka@kainuunhyvinvointialue.fi")).one()
    assert user.organisation_id == county.id
    refused = post_form(client, "/register", {"name": "X", "email": "x@example.fi", "municipality": "org-999999",
                                              "password": PASSWORD, "confirm": PASSWORD})
    assert refused.status_code == 400 and "Valitse organisaatiosi luettelosta." in refused.text


def test_an_admin_adds_an_organisation_that_registration_then_offers(app, client, app_session):
    accounts.add_user(app_session, email="admin@kuntaliitto.fi", role=Role.admin, password=PASSWORD)
    app_session.commit()
    admin = app.test_client()
    sign_in(admin, "admin@kuntaliitto.fi")
    page = admin.get("/admin/organisations")
    assert page.status_code == 200 and "Lisää organisaatio" in page.text and "Kajanalands välfärdsområde" in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    added = admin.post("/admin/organisations/new", data={"csrf_token": token, "kind": "joint_authority",
                                                         "name": "Koulutuskuntayhtymä Testi",
                                                         "name_sv": "Samkommunen Test"})
    assert added.status_code == 303
    assert ">Koulutuskuntayhtymä Testi</option>" in client.get("/register").text
    again = admin.post("/admin/organisations/new", data={"csrf_token": token, "kind": "joint_authority",
                                                         "name": "Koulutuskuntayhtymä Testi"})
    assert again.status_code == 400 and "Tämänniminen organisaatio on jo rekisterissä." in again.text
    assert 'class="error-summary"' in again.text
