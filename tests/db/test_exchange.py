"""Import and export of content folders: all or nothing, idempotent, lossless."""

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import select

from factories import CONTENT_DIR
from ideapankki.exchange import ImportFailed, export_dir, import_path
from ideapankki.models import Entry, Revision, Transition

GOOD = """---
title: Hyvä
type: idea
summary: Kelvollinen merkintä.
municipalities: [Kajaani]
themes: [tyollisyys]
---
Runko.
"""


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def count(session, model=Entry) -> int:
    return session.exec(select(sa.func.count()).select_from(model)).one()


def seed_files() -> dict[str, bytes]:
    return {str(p.relative_to(CONTENT_DIR)): p.read_bytes() for p in sorted(CONTENT_DIR.rglob("*.md"))}


def test_seed_content_imports_and_publishes(session):
    report = import_path(session, CONTENT_DIR, publish=True)
    session.commit()
    entry_files = [name for name in seed_files() if not name.startswith("programmes/")]
    assert len(report.created) == len(entry_files) >= 20
    assert sorted(report.programmes) == ["kuntakokeilut-2015-2016", "tyollisyyden-kuntakokeilut-2021-2023"]
    assert {e.state for e in session.exec(select(Entry))} == {"published"}
    assert count(session, Transition) == len(report.created)


def test_reimport_is_idempotent(session):
    import_path(session, CONTENT_DIR, publish=True)
    session.commit()
    entries, revisions, transitions = count(session), count(session, Revision), count(session, Transition)
    report = import_path(session, CONTENT_DIR, publish=True)
    session.commit()
    assert report.created == [] and report.updated == [] and len(report.unchanged) == entries
    assert (count(session), count(session, Revision), count(session, Transition)) == (entries, revisions, transitions)


def test_changed_file_updates_the_entry_and_adds_a_revision(session, tmp_path):
    path = write(tmp_path, "idea/hyva.md", GOOD)
    import_path(session, tmp_path)
    path.write_text(GOOD.replace("Runko.", "Uusi runko."), encoding="utf-8")
    report = import_path(session, tmp_path)
    session.commit()
    assert report.updated == ["hyva"]
    entry = session.exec(select(Entry)).one()
    assert entry.body_html == "<p>Uusi runko.</p>"
    assert [r.number for r in session.exec(select(Revision))] == [1, 2]


def test_import_without_publish_waits_for_review(session, tmp_path):
    write(tmp_path, "idea/hyva.md", GOOD)
    import_path(session, tmp_path)
    entry = session.exec(select(Entry)).one()
    assert entry.state == "submitted"


def test_export_reproduces_the_seed_content_byte_for_byte(session, tmp_path):
    import_path(session, CONTENT_DIR, publish=True)
    session.commit()
    export_dir(session, tmp_path / "out")
    exported = {str(p.relative_to(tmp_path / "out")): p.read_bytes() for p in sorted((tmp_path / "out").rglob("*.md"))}
    assert exported == seed_files()


def test_import_export_import_is_lossless(engine, session, tmp_path):
    import_path(session, CONTENT_DIR, publish=True)
    session.commit()
    export_dir(session, tmp_path / "first")
    second_db = tmp_path / "second"
    shutil.copytree(tmp_path / "first", second_db)
    report = import_path(session, second_db, publish=True)
    assert report.updated == [] and report.created == []
    export_dir(session, tmp_path / "again")
    for path in (tmp_path / "first").rglob("*.md"):
        assert (tmp_path / "again" / path.relative_to(tmp_path / "first")).read_bytes() == path.read_bytes()


@pytest.mark.parametrize("relative, text, key", [
    ("idea/paha.md", GOOD.replace("Kajaani", "Atlantis"), "municipalities[0]"),
    ("idea/paha.md", GOOD.replace("tyollisyys", "astrologia"), "themes[0]"),
    ("idea/paha.md", GOOD.replace("type: idea", "type: recipe"), "type"),
    ("idea/paha.md", GOOD.replace("summary:", "colour: red\nsummary:"), "colour"),
    ("idea/paha.md", GOOD.replace("themes:", "published: 2022-02-30\nthemes:"), "published"),
    ("idea/paha.md", "---\ntitle: !!python/object/apply:os.system [ls]\n---\n", None),
    ("idea/Paha Nimi.md", GOOD, None),
])
def test_one_invalid_file_imports_nothing(session, tmp_path, relative, text, key):
    write(tmp_path, "idea/hyva.md", GOOD.replace("Hyvä", "Hyvä 1"))
    bad = write(tmp_path, relative, text)
    with pytest.raises(ImportFailed) as caught:
        import_path(session, tmp_path, publish=True)
    session.rollback()
    (error,) = caught.value.errors
    assert error.path == str(bad)
    assert error.key == key
    assert count(session) == 0 and count(session, Revision) == 0


def test_every_invalid_file_is_reported_at_once(session, tmp_path):
    write(tmp_path, "idea/a.md", GOOD.replace("Kajaani", "Atlantis"))
    write(tmp_path, "idea/b.md", GOOD.replace("tyollisyys", "astrologia"))
    with pytest.raises(ImportFailed) as caught:
        import_path(session, tmp_path)
    assert [Path(e.path).name for e in caught.value.errors] == ["a.md", "b.md"]


def test_a_failed_reimport_leaves_existing_entries_untouched(session, tmp_path):
    write(tmp_path, "idea/hyva.md", GOOD)
    import_path(session, tmp_path, publish=True)
    session.commit()
    write(tmp_path, "idea/hyva.md", GOOD.replace("Runko.", "Muutettu."))
    write(tmp_path, "idea/paha.md", GOOD.replace("Kajaani", "Atlantis"))
    with pytest.raises(ImportFailed):
        import_path(session, tmp_path, publish=True)
    session.rollback()
    assert session.exec(select(Entry.body_md)).one() == "Runko."


def test_the_same_slug_twice_is_refused(session, tmp_path):
    write(tmp_path, "idea/sama.md", GOOD)
    write(tmp_path, "more/idea/sama.md", GOOD)
    with pytest.raises(ImportFailed, match="also used by"):
        import_path(session, tmp_path)


def test_symlink_leaving_the_import_folder_is_refused(session, tmp_path):
    outside = write(tmp_path / "outside", "secret.md", GOOD)
    root = tmp_path / "root"
    (root / "idea").mkdir(parents=True)
    (root / "idea" / "linkki.md").symlink_to(outside)
    with pytest.raises(ImportFailed, match="outside"):
        import_path(session, root)


def test_non_utf8_file_is_refused(session, tmp_path):
    path = tmp_path / "idea" / "latin.md"
    path.parent.mkdir()
    path.write_bytes(GOOD.replace("Hyvä", "Hyv\xe4").encode("latin-1"))
    with pytest.raises(ImportFailed, match="not UTF-8"):
        import_path(session, tmp_path)


def test_missing_path_is_refused(session, tmp_path):
    with pytest.raises(ImportFailed, match="no such file"):
        import_path(session, tmp_path / "nothing")


def test_swedish_and_code_municipalities_resolve_to_the_register(session, tmp_path):
    write(tmp_path, "idea/hyva.md", GOOD.replace("[Kajaani]", "[Borgå, '091', Vasa]"))
    import_path(session, tmp_path)
    entry = session.exec(select(Entry)).one()
    assert [m.name_fi for m in entry.municipalities] == ["Porvoo", "Helsinki", "Vaasa"]
