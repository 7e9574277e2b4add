"""Trial programmes in the content format: validation names file and key, all or nothing, lossless."""

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import select

from factories import CONTENT_DIR, make_entry, make_programme, make_user
from ideapankki.content import EntryDocument
from ideapankki.revisions import save_edit
from ideapankki.exchange import ImportFailed, export_dir, import_path
from ideapankki.models import Entry, EntryState, Programme, Role

PROGRAMME = """---
title: Työllisyyden kuntakokeilut 2021–2023
summary: Kunnat hoitivat osan TE-toimistojen tehtävistä.
language: fi
period:
  start: 2021-03-01
  end: 2023-06-30
law:
  title: Laki työllisyyden edistämisen kuntakokeilusta
  number: 1269/2020
  confirmed: 2020-12-30
areas: 25
participants_total: 118
municipalities:
- Kajaani
- Sotkamo
links:
- title: TEM
  url: https://tem.fi/tyollisyyskokeilut
---

## Ohjelma

Teksti.
"""

PRACTICE = """---
title: Kainuun kokeilu
type: practice
summary: Seitsemän kuntaa.
language: fi
published: 2022-05-25
trial_status: ended
programme: tyollisyys
---

Runko.
"""

IDEA = """---
title: Idea
type: idea
summary: Idea.
language: fi
---
"""


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def count(session, model) -> int:
    return session.exec(select(sa.func.count()).select_from(model)).one()


def test_programmes_import_first_and_practices_join_them(session, tmp_path):
    write(tmp_path, "programmes/tyollisyys.md", PROGRAMME)
    write(tmp_path, "practice/kainuu.md", PRACTICE)
    report = import_path(session, tmp_path, publish=True)
    session.commit()
    assert report.created == ["kainuu"] and report.programmes == ["tyollisyys"]
    programme = session.get(Programme, "tyollisyys")
    assert [m.code for m in programme.municipalities] == ["205", "765"]
    assert (programme.law_number, programme.law_confirmed.isoformat(), programme.participants_total) == (
        "1269/2020", "2020-12-30", 118)
    assert programme.body_html.startswith('<h2 id="md-ohjelma">Ohjelma</h2>')
    assert session.exec(select(Entry)).one().programme_slug == "tyollisyys"


def test_import_export_import_with_programmes_is_lossless(session, tmp_path):
    source = tmp_path / "in"
    write(source, "programmes/tyollisyys.md", PROGRAMME.replace("- Sotkamo", "- Sotkamo\n- Borgå"))
    write(source, "practice/kainuu.md", PRACTICE)
    import_path(session, source, publish=True)
    export_dir(session, tmp_path / "out")
    exported = (tmp_path / "out" / "programmes" / "tyollisyys.md").read_text(encoding="utf-8")
    assert exported == PROGRAMME.replace("- Sotkamo", "- Sotkamo\n- Porvoo")  # canonical: Finnish names
    assert (tmp_path / "out" / "practice" / "kainuu.md").read_bytes() == (source / "practice" / "kainuu.md").read_bytes()
    again = import_path(session, tmp_path / "out", publish=True)
    assert again.programmes == [] and again.updated == [] and again.created == []
    export_dir(session, tmp_path / "again")
    for path in (tmp_path / "out").rglob("*.md"):
        assert (tmp_path / "again" / path.relative_to(tmp_path / "out")).read_bytes() == path.read_bytes()


def test_seed_practices_belong_to_their_programmes(session):
    import_path(session, CONTENT_DIR, publish=True)
    members = {slug: programme for slug, programme in session.exec(
        select(Entry.slug, Entry.programme_slug).where(Entry.programme_slug.is_not(None)))}
    assert members["kainuun-tyollisyyden-kuntakokeilu"] == members["omavalmentaja"] == (
        "tyollisyyden-kuntakokeilut-2021-2023")
    for slug in ("hyvinvoinnin-integroitu-toimintamalli", "koulutuspalvelukokeilu", "asumispalvelujen-toimintamalli",
                 "valvonnan-toimintamalli", "kuntien-ja-kelan-yhteistyo", "nuorisotakuukokeilu"):
        assert members[slug] == "kuntakokeilut-2015-2016"
    employment = session.get(Programme, "tyollisyyden-kuntakokeilut-2021-2023")
    assert (employment.areas, employment.participants_total, len(employment.municipalities)) == (25, 118, 7)
    assert employment.law_confirmed.isoformat() == "2020-12-30"


@pytest.mark.parametrize("relative, text, key", [
    ("practice/kainuu.md", PRACTICE.replace("programme: tyollisyys", "programme: olematon"), "programme"),
    ("practice/kainuu.md", PRACTICE.replace("programme: tyollisyys", "programme: Ei Slug"), "programme"),
    ("idea/idea.md", IDEA.replace("language: fi", "language: fi\nprogramme: tyollisyys"), "programme"),
    ("programmes/tyollisyys.md", PROGRAMME.replace("2021-03-01", "2021-02-30"), "period.start"),
    ("programmes/tyollisyys.md", PROGRAMME.replace("end: 2023-06-30", "end: 2020-06-30"), "period.end"),
    ("programmes/tyollisyys.md", PROGRAMME.replace("2020-12-30", "30.12.2020"), "law.confirmed"),
    ("programmes/tyollisyys.md", PROGRAMME.replace("1269/2020", "laki 1269"), "law.number"),
    ("programmes/tyollisyys.md", PROGRAMME.replace("- Sotkamo", "- Atlantis"), "municipalities[1]"),
    ("programmes/tyollisyys.md", PROGRAMME.replace("areas: 25", "areas: many"), "areas"),
    ("programmes/tyollisyys.md", PROGRAMME.replace("participants_total: 118", "participants_total: 1"),
     "participants_total"),
    ("programmes/tyollisyys.md", PROGRAMME.replace("areas: 25", "regions: 3"), "regions"),
    ("programmes/tyollisyys.md", PROGRAMME.replace("  confirmed: 2020-12-30", "  signed: 2020-12-30"), "law.signed"),
    ("programmes/tyollisyys.md", PROGRAMME.replace("period:\n  start: 2021-03-01\n  end: 2023-06-30\n", ""),
     "period"),
])
def test_invalid_programme_content_names_file_and_key_and_imports_nothing(session, tmp_path, relative, text, key):
    files = {"programmes/tyollisyys.md": PROGRAMME, "practice/kainuu.md": PRACTICE, "idea/idea.md": IDEA}
    files[relative] = text
    for name, body in files.items():
        write(tmp_path, name, body)
    with pytest.raises(ImportFailed) as caught:
        import_path(session, tmp_path, publish=True)
    session.rollback()
    errors = caught.value.errors
    # a broken programme also leaves the practice that names it without its programme
    assert (errors[0].path, errors[0].key) == (str(tmp_path / relative), key)
    assert count(session, Entry) == 0 and count(session, Programme) == 0


def test_a_single_practice_file_may_name_a_programme_already_in_the_database(session, tmp_path):
    make_programme(session, "tyollisyys")
    path = write(tmp_path, "kainuu.md", PRACTICE)
    import_path(session, path, publish=True)
    assert session.exec(select(Entry)).one().programme_slug == "tyollisyys"


def test_the_database_refuses_a_programme_on_an_idea(session):
    make_programme(session, "tyollisyys")
    idea = make_entry(session, "idea", type="idea")
    idea.programme_slug = "tyollisyys"
    session.add(idea)
    with pytest.raises(sa.exc.IntegrityError):
        session.commit()
    session.rollback()


def test_editing_a_practice_through_the_form_keeps_its_programme(session):
    """The entry form does not show the programme; an edit must not drop it."""
    make_programme(session, "tyollisyys")
    entry = make_entry(session, "kainuu", state=EntryState.in_review, programme="tyollisyys")
    moderator = make_user(session, "mod@kuntaliitto.fi", role=Role.moderator)
    save_edit(session, entry, EntryDocument(slug="x", type="practice", title="Uusi otsikko", summary="S."), [],
              moderator)
    session.commit()
    assert (entry.title, entry.programme_slug) == ("Uusi otsikko", "tyollisyys")
