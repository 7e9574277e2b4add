"""Typed links between entries: the content format, import checks, both ends, published only."""

from pathlib import Path

import pytest

from factories import make_entry
from ideapankki import content, relations
from ideapankki.exchange import ImportFailed, import_path
from ideapankki.models import EntryState

IDEA = """---
title: Pikkuleijonat
type: idea
summary: Lapsille.
language: fi
relations:
- kind: needs_norm_change
  entry: ryhmakoot
- kind: led_to
  entry: koulukokeilu
---
"""
NORM = "---\ntitle: Ryhmäkoot\ntype: norm\nsummary: Joustavasti.\n---\n"
PRACTICE = "---\ntitle: Koulukokeilu\ntype: practice\nsummary: Kokeilu.\n---\n"


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("relations_yaml, key", [
    ("- {kind: inspired, entry: muu}", "relations[0].kind"),
    ("- {kind: based_on, entry: Ei Slug}", "relations[0].entry"),
    ("- {kind: based_on, entry: tama}", "relations[0].entry"),
    ("- {kind: based_on}", "relations[0].entry"),
    ("- {kind: based_on, entry: muu}\n- {kind: based_on, entry: muu}", "relations[1]"),
    ("- {kind: led_to, entry: muu}", "relations[0].kind"),  # only ideas lead to something
])
def test_bad_relations_name_the_key(relations_yaml, key):
    text = f"---\ntitle: T\ntype: practice\nsummary: S.\nrelations:\n{relations_yaml}\n---\n"
    with pytest.raises(content.ContentError) as caught:
        content.parse(text, "practice/tama.md")
    assert caught.value.key == key


def test_targets_may_come_in_the_same_import_and_round_trip(session, tmp_path):
    write(tmp_path, "idea/pikkuleijonat.md", IDEA)
    write(tmp_path, "norm/ryhmakoot.md", NORM)
    write(tmp_path, "practice/koulukokeilu.md", PRACTICE)
    import_path(session, tmp_path, publish=True)
    session.commit()
    doc = content.parse(IDEA, "idea/pikkuleijonat.md")
    assert content.serialize(doc) == IDEA


WRONG_TYPE = "---\ntitle: Ryhmäkoot\ntype: practice\nsummary: Kokeilu.\n---\n"


@pytest.mark.parametrize("files, key", [
    ({"norm/ryhmakoot.md": NORM}, "relations[1].entry"),  # koulukokeilu is missing
    ({"practice/ryhmakoot.md": WRONG_TYPE, "practice/koulukokeilu.md": PRACTICE}, "relations[0].kind"),
])
def test_missing_or_wrong_targets_stop_the_import(session, tmp_path, files, key):
    idea = write(tmp_path, "idea/pikkuleijonat.md", IDEA)
    for relative, text in files.items():
        write(tmp_path, relative, text)
    with pytest.raises(ImportFailed) as caught:
        import_path(session, tmp_path, publish=True)
    assert [(e.path, e.key) for e in caught.value.errors] == [(str(idea), key)]


def test_both_ends_see_the_link_and_unpublished_ends_stay_hidden(session):
    idea = make_entry(session, "pikkuleijonat", type="idea", title="Pikkuleijonat")
    norm = make_entry(session, "ryhmakoot", type="norm", title="Ryhmäkoot")
    draft = make_entry(session, "luonnos", type="practice", title="Luonnos", state=EntryState.draft)
    from ideapankki.entries import save_document, to_document

    doc = to_document(idea)
    doc.relations = [{"kind": "needs_norm_change", "entry": "ryhmakoot"}, {"kind": "led_to", "entry": "luonnos"}]
    save_document(session, doc, [])
    session.commit()
    assert [(link.kind, link.direction, link.entry.slug) for link in relations.links(session, idea)] == [
        ("needs_norm_change", "outgoing", "ryhmakoot")]
    assert [(link.kind, link.direction, link.entry.slug) for link in relations.links(session, norm)] == [
        ("needs_norm_change", "incoming", "pikkuleijonat")]
    from ideapankki.workflow import place_by_operator

    place_by_operator(session, draft, EntryState.published, "test")
    session.commit()
    assert ("led_to", "outgoing", "luonnos") in [(link.kind, link.direction, link.entry.slug)
                                                  for link in relations.links(session, idea)]


def test_a_translation_is_the_same_type_in_another_language(session, tmp_path):
    write(tmp_path, "norm/ryhmakoot.md", NORM)
    same = write(tmp_path, "norm/gruppstorlek.md", "---\ntitle: Gruppstorlek\ntype: norm\nsummary: S.\nlanguage: fi\n"
                 "relations:\n- {kind: translation_of, entry: ryhmakoot}\n---\n")
    with pytest.raises(ImportFailed) as caught:
        import_path(session, tmp_path, publish=True)
    assert [(e.path, e.key) for e in caught.value.errors] == [(str(same), "relations[0].entry")]
    write(tmp_path, "norm/gruppstorlek.md", "---\ntitle: Gruppstorlek\ntype: norm\nsummary: S.\nlanguage: sv\n"
          "relations:\n- {kind: translation_of, entry: ryhmakoot}\n---\n")
    import_path(session, tmp_path, publish=True)
    session.commit()
    from ideapankki.browse import get_published

    norm = get_published(session, "ryhmakoot")
    assert [(link.entry.slug, link.entry.language, link.direction) for link in relations.links(session, norm)
            if link.kind == "translation_of"] == [("gruppstorlek", "sv", "incoming")]
