"""The register of organisations: the maintained list, its loading, registration choices, an admin's addition."""

import pytest
from sqlmodel import select

from ideapankki import accounts, organisations
from ideapankki.models import Organisation, Role

from factories import make_user


def test_the_maintained_list_has_every_kind_with_swedish_names():
    rows = organisations.read_list()
    count = {kind: sum(1 for row in rows if row.kind == kind) for kind in {row.kind for row in rows}}
    assert count == {"wellbeing_county": 21, "regional_council": 18, "joint_authority": 3, "association": 1,
                     "ministry": 12}
    assert all(row.name_sv and row.name_sv != "" for row in rows)
    assert len({row.name_fi for row in rows}) == len(rows)
    assert "Kainuun hyvinvointialue" in {row.name_fi for row in rows}


def test_a_bad_row_names_the_file_and_row(tmp_path):
    path = tmp_path / "organisations.csv"
    path.write_text("# a comment\nkind,name_fi,name_sv\nministry,Ympäristöministeriö,Miljöministeriet\n"
                    "county,Jokin,Något\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"organisations.csv: data row 2: needs kind"):
        organisations.read_list(path)


def test_init_loads_the_register_and_loading_again_updates_without_duplicates(session, tmp_path):
    loaded = session.exec(select(Organisation).where(Organisation.kind == "wellbeing_county")).all()
    assert len(loaded) == 21  # the test database was made by init_database
    path = tmp_path / "organisations.csv"
    path.write_text("kind,name_fi,name_sv\nministry,Ympäristöministeriö,Miljöministeriet (uusi)\n", encoding="utf-8")
    organisations.load_register(session, path)
    session.commit()
    rows = session.exec(select(Organisation).where(Organisation.name == "Ympäristöministeriö")).all()
    assert [(o.kind, o.name_sv) for o in rows] == [("ministry", "Miljöministeriet (uusi)")]


def test_registration_choices_by_kind_and_what_a_choice_names(session):
    grouped = organisations.choices(session)
    assert list(grouped) == ["municipality", "wellbeing_county", "regional_council", "joint_authority",
                             "association", "ministry"]
    assert ("205", "Kajaani", "Kajana") in grouped["municipality"]
    county = next(row for row in grouped["wellbeing_county"] if row[1] == "Kainuun hyvinvointialue")
    assert county[2] == "Kajanalands välfärdsområde"
    assert organisations.chosen(session, county[0]).name == "Kainuun hyvinvointialue"
    kajaani = organisations.chosen(session, "205")
    assert (kajaani.kind, kajaani.municipality_code) == ("municipality", "205")
    assert organisations.chosen(session, f"org-{kajaani.id}") is None  # a municipality only by its code
    for junk in ("", "org-", "org-99999", "999", "Kajaani", None):
        assert organisations.chosen(session, junk) is None


def test_only_an_admin_adds_an_organisation_and_names_are_unique(session):
    admin = make_user(session, "admin@kuntaliitto.fi", role=Role.admin)
    moderator = make_user(session, "mod@kuntaliitto.fi", role=Role.moderator)
    with pytest.raises(accounts.AccountError) as refused:
        organisations.add(session, moderator, "joint_authority", "Kainuun sote", None)
    assert refused.value.code == "forbidden"
    org = organisations.add(session, admin, "joint_authority", " Koulutuskuntayhtymä Esimerkki ", "")
    session.commit()
    assert (org.name, org.name_sv, org.kind) == ("Koulutuskuntayhtymä Esimerkki", None, "joint_authority")
    for kind, name, code in (("joint_authority", "Koulutuskuntayhtymä Esimerkki", "name_taken"),
                             ("municipality", "Uusikunta", "bad_kind"), ("ministry", "", "bad_name")):
        with pytest.raises(accounts.AccountError) as refused:
            organisations.add(session, admin, kind, name, None)
        assert refused.value.code == code
