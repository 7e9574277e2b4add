"""The thesaurus in the database: seeded at init, lossless export/import, all or nothing, who may edit, audit."""

import pytest

from factories import make_user
from ideapankki import vocabulary
from ideapankki.models import Role, VocabularyChange
from ideapankki.vocabulary_format import Concept, VocabularyError, parse_vocabulary, serialise_vocabulary


def test_init_seeds_the_shipped_thesaurus(session):
    shipped = vocabulary.read_file(vocabulary.SHIPPED_FILE)
    assert vocabulary.load_concepts(session) == shipped
    assert vocabulary.version(session) == 1
    assert [c.action for c in vocabulary.history(session)] == ["seed"]


def test_export_then_import_is_lossless(session, tmp_path):
    concepts = vocabulary.load_concepts(session)
    concepts[0].note = "Teeman oma käsite: sen nimi löytää teeman kirjaukset."
    concepts[0].exact_match = ["http://example.org/concept/1"]
    concepts[1].hidden = {"fi": ["hämäläinen kirjoitusasu"], "en": ["misspeling"]}
    vocabulary.replace_all(session, concepts)
    path = tmp_path / "vocabulary.yaml"
    path.write_text(serialise_vocabulary(vocabulary.load_concepts(session)), encoding="utf-8")
    assert vocabulary.read_file(path) == concepts
    vocabulary.import_file(session, path)
    assert vocabulary.load_concepts(session) == concepts
    assert serialise_vocabulary(vocabulary.load_concepts(session)) == path.read_text(encoding="utf-8")


def test_an_invalid_file_changes_nothing_and_names_the_file_and_concept(session, tmp_path):
    before = vocabulary.load_concepts(session)
    path = tmp_path / "broken.yaml"
    text = serialise_vocabulary(before).replace("related: [hyvinvointialue]", "related: [hyvinvointialueet-x]", 1)
    path.write_text(text + "- id: Bad Id\n  sv: [ingen finsk etikett]\n", encoding="utf-8")
    with pytest.raises(VocabularyError) as caught:
        vocabulary.import_file(session, path)
    problems = caught.value.problems
    assert any(str(path) in p and "'theme-sosiaali-ja-terveys'" in p and "hyvinvointialueet-x" in p for p in problems)
    assert any(str(path) in p and "'Bad Id'" in p and "id must be" in p for p in problems)
    assert any("'Bad Id'" in p and "Finnish label" in p for p in problems)
    assert vocabulary.load_concepts(session) == before


def test_members_may_not_edit_and_moderators_leave_an_audit_row(session):
    member = make_user(session, "jasen@example.fi")
    moderator = make_user(session, "moderaattori@example.fi", role=Role.moderator)
    concept = Concept(key="kotikaynnit-kokeilu", labels={"fi": ["kotikäyntikokeilu"], "sv": ["hembesöksförsök"]},
                      broader=["kotihoito"])
    with pytest.raises(vocabulary.VocabularyForbidden):
        vocabulary.save_concept(session, member, concept)
    before = vocabulary.version(session)
    vocabulary.save_concept(session, moderator, concept)
    session.commit()
    assert vocabulary.concept(session, "kotikaynnit-kokeilu") == concept
    assert vocabulary.version(session) == before + 1
    row = vocabulary.history(session, key="kotikaynnit-kokeilu")[0]
    assert (row.action, row.actor_id) == ("create", moderator.id)
    with pytest.raises(VocabularyError, match="already 'kotihoito'"):
        vocabulary.save_concept(session, moderator, Concept(key="kotihoito-2", labels={"fi": ["Kotihoito"]}))
    vocabulary.delete_concept(session, moderator, "kotikaynnit-kokeilu")
    session.commit()
    assert vocabulary.concept(session, "kotikaynnit-kokeilu") is None
    assert session.get(VocabularyChange, row.id + 1).action == "delete"


def test_renaming_a_concept_keeps_the_links_to_it(session):
    moderator = make_user(session, "moderaattori@example.fi", role=Role.moderator)
    concept = vocabulary.concept(session, "kotihoito")
    concept.key = "kotihoito-ja-kotisairaanhoito"
    vocabulary.save_concept(session, moderator, concept, "kotihoito")
    session.commit()
    assert "kotihoito-ja-kotisairaanhoito" in vocabulary.concept(session, "kotikuntoutus").related


def test_the_file_format_refuses_unknown_keys_and_bad_uris():
    with pytest.raises(VocabularyError) as caught:
        parse_vocabulary("concepts:\n- id: a\n  fi: [a]\n  synonyms: [b]\n  exactMatch: [yso:p123]\n", "x.yaml")
    assert any("x.yaml: concept 'a': unknown key(s) synonyms" in p for p in caught.value.problems)
    assert any("exactMatch 'yso:p123'" in p for p in caught.value.problems)
