"""Structured descriptions in the database: import → export → import is lossless, errors name file and key."""

from pathlib import Path

import pytest
from sqlmodel import select

from ideapankki import structured
from ideapankki.exchange import ImportFailed, export_dir, import_path
from ideapankki.models import Contact, Entry
from structured_samples import IDEA, NORM, PRACTICE

FILES = {"practice/omavalmentaja-kokeilu.md": PRACTICE, "idea/kannustinloukku.md": IDEA,
         "norm/ryhmakoot.md": NORM}


def write_all(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")


def test_structured_fields_survive_import_export_import(session, tmp_path):
    write_all(tmp_path / "in", FILES)
    import_path(session, tmp_path / "in", publish=False)
    session.commit()
    export_dir(session, tmp_path / "out")
    for relative, text in FILES.items():
        assert (tmp_path / "out" / relative).read_text(encoding="utf-8") == text
    report = import_path(session, tmp_path / "out", publish=False)
    assert report.created == [] and report.updated == []


def test_evidence_levels_are_columns_and_the_rest_one_json_document(session, tmp_path):
    write_all(tmp_path, FILES)
    import_path(session, tmp_path, publish=True)
    session.commit()
    session.expire_all()
    practice = session.exec(select(Entry).where(Entry.slug == "omavalmentaja-kokeilu")).one()
    assert (practice.evidence_level, practice.evidence_proposed) == (3, 4)
    assert "evidence_level" not in practice.details
    assert practice.details["results"][0] == {"indicator": "Työllistyneiden osuus", "value": 35, "unit": "%",
                                              "baseline": 20.5, "period": "2021–2023",
                                              "source": "https://example.fi/raportti"}
    norm = session.exec(select(Entry).where(Entry.slug == "ryhmakoot")).one()
    assert norm.details["response"]["date"] == "2024-05-02" and norm.evidence_level is None
    contacts = session.exec(select(Contact).order_by(Contact.position)).all()
    assert [(c.name, c.organisation, c.phone, c.agreed) for c in contacts] == [
        ("Maija Meikäläinen", "Kajaanin kaupunki", "+358 40 123 4567", True), ("Pekka Piilo", None, None, False)]
    assert [c.name for c in structured.shown_contacts(practice.contacts)] == ["Maija Meikäläinen"]


@pytest.mark.parametrize("old, new, key", [
    ("  value: 35\n", "  value: kolmasosa\n", "results[0].value"),
    ("- indicator: Asiakkaita\n", "- unit: kpl\n", "results[1].indicator"),
    ("  source: https://example.fi/raportti\n", "  source: raportti.pdf\n", "results[0].source"),
    ("evidence_level: 3\n", "evidence_level: 9\n", "evidence_level"),
    ("evidence_proposed: 4\n", "evidence_proposed: korkea\n", "evidence_proposed"),
    ("  email: maija@kajaani.fi\n", "  email: maija(at)kajaani.fi\n", "contacts[0].email"),
    ("  agreed: false\n", "  agreed: 'no'\n", "contacts[1].agreed"),
    ("  phone: +358 40 123 4567\n", "  phone: kysy vaihteesta\n", "contacts[0].phone"),
])
def test_a_malformed_structured_field_imports_nothing_and_names_file_and_key(session, tmp_path, old, new, key):
    assert old in PRACTICE
    write_all(tmp_path, {**FILES, "practice/omavalmentaja-kokeilu.md": PRACTICE.replace(old, new, 1)})
    with pytest.raises(ImportFailed) as caught:
        import_path(session, tmp_path, publish=True)
    session.rollback()
    (error,) = caught.value.errors
    assert Path(error.path).name == "omavalmentaja-kokeilu.md" and error.key == key
    assert str(error).startswith(f"{tmp_path / 'practice' / 'omavalmentaja-kokeilu.md'}: {key}: ")
    assert session.exec(select(Entry)).all() == []


def test_the_open_data_zip_leaves_out_contacts_who_did_not_agree(session, tmp_path):
    import zipfile

    from ideapankki import exports

    write_all(tmp_path / "in", FILES)
    import_path(session, tmp_path / "in", publish=True)
    session.commit()
    (tmp_path / "exports").mkdir()
    exports.build(session, tmp_path / "exports", lambda slug: f"https://x/entries/{slug}")
    with zipfile.ZipFile(tmp_path / "exports" / exports.ZIP_NAME) as archive:
        text = archive.read("practice/omavalmentaja-kokeilu.md").decode()
    assert "Maija Meikäläinen" in text and "Pekka Piilo" not in text
    assert "evidence_level: 3" in text and "indicator: Työllistyneiden osuus" in text


def test_a_member_proposes_an_evidence_level_and_only_a_moderator_confirms_it(session):
    from factories import make_member, make_user
    from ideapankki import evidence, submissions, workflow
    from ideapankki.content import parse
    from ideapankki.models import Role
    from ideapankki.transitions import Action, NotAllowed, WorkflowError

    member = make_member(session)
    moderator = make_user(session, "mod@kuntaliitto.fi", role=Role.moderator)
    doc = parse(PRACTICE, "practice/oma.md")  # says evidence_level: 3, evidence_proposed: 4
    entry, _sent = submissions.save(session, member, doc, ["205"], None, submit=True, per_hour=20)
    assert (entry.evidence_level, entry.evidence_proposed) == (None, 4)  # the form cannot confirm
    with pytest.raises(NotAllowed):
        evidence.confirm(session, member, entry, 5)
    with pytest.raises(WorkflowError):  # not yet in review
        evidence.confirm(session, moderator, entry, 2)
    workflow.act(session, entry, Action.take, moderator)
    evidence.confirm(session, moderator, entry, 2)
    assert entry.evidence_level == 2
    workflow.act(session, entry, Action.publish, moderator)  # confirming is not writing the text
    session.commit()
    edited = parse(PRACTICE.replace("evidence_level: 3", "evidence_level: 5"), "practice/oma.md")
    revision = submissions.save(session, member, edited, ["205"], entry, submit=False, per_hour=20)[0]
    assert revision.evidence_level == 2
    from ideapankki.revisions import current_document
    assert current_document(session, entry).details["evidence_level"] == 2  # the edit keeps the confirmed level
