"""Importer and entry form against hostile input: folder links leaving the import, bodies nested
too deeply to render, and a flood of previews (limited per account, across workers)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlmodel import select

from clients import post_form, sign_in
from factories import make_member
from ideapankki import create_app, exchange, markdown
from ideapankki.cli import main
from ideapankki.models import Entry
from ideapankki import close_app

VALID = "---\ntitle: Kirjastoauto\ntype: idea\nsummary: Kiertää kylissä.\n---\n\n## Tausta\n\nTeksti.\n"
DEEP = [">" * 200_000, "> " * 30 + "x", "- " * 3000 + "x", "\n".join(" " * i + "- x" for i in range(0, 400, 4)),
        "1. " * 50 + "x", "* > " * 15 + "x"]
FORM = {"title": "Kirjastoauto kylille", "summary": "Kirjastoauto kiertää kylissä.", "body": "## Tausta\n\nTeksti.",
        "language": "fi", "municipalities": "Kajaani", "tags": "kirjasto", "origin": "Kuntamarkkinat", "links": "",
        "do": "preview"}


def write(folder: Path, relative: str, text: str) -> Path:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("link", ["idea/muualle", "muualle", "idea/syva/muualle"])
def test_a_folder_link_leaving_the_import_is_refused(session, tmp_path, link):
    outside = write(tmp_path / "outside", "idea/salainen.md", VALID).parent.parent
    folder = tmp_path / "import"
    write(folder, "idea/hyva.md", VALID)
    (folder / link).parent.mkdir(parents=True, exist_ok=True)
    (folder / link).symlink_to(outside, target_is_directory=True)
    with pytest.raises(exchange.ImportFailed) as failed:
        exchange.import_path(session, folder, publish=True)
    assert [(Path(e.path), e.key) for e in failed.value.errors] == [(folder / link, None)]
    assert "symbolic link to a folder outside" in str(failed.value)
    session.rollback()
    assert session.exec(select(Entry)).all() == []


def test_the_cli_exits_1_for_a_folder_link(tmp_path, monkeypatch, databases):
    databases.for_instance(tmp_path / "instance", monkeypatch)  # migrated: a migration from nothing cost ~2 s
    folder = tmp_path / "import"
    write(folder, "idea/hyva.md", VALID)
    (folder / "practice").symlink_to(tmp_path, target_is_directory=True)
    result = CliRunner().invoke(main, ["import", str(folder)])
    assert result.exit_code == 1 and "practice" in result.output and "outside" in result.output


def test_a_folder_link_inside_the_import_is_no_error(session, tmp_path):
    folder = tmp_path / "import"
    write(folder, "idea/hyva.md", VALID)
    (folder / "idea" / "sama").symlink_to(folder / "idea", target_is_directory=True)
    assert exchange.import_path(session, folder).created == ["hyva"]  # read once, where it is


@pytest.mark.parametrize("body", DEEP, ids=range(len(DEEP)))
def test_a_body_nested_too_deeply_is_refused_before_rendering_naming_file_and_field(session, tmp_path, body,
                                                                                     monkeypatch):
    """Refused by the linear nesting check, never handed to Python-Markdown (whose time on such
    input is what bench/render.py measures): a deterministic stand-in for "fast"."""
    folder = tmp_path / "import"
    path = write(folder, "idea/syva.md", VALID + body)
    write(folder, "programmes/ohjelma.md", "---\ntitle: O\nsummary: S\nperiod: {start: 2021-03-01}\n---\n\n" + body)

    def convert(_self, text):
        raise AssertionError(f"a body nested too deeply reached Python-Markdown ({len(text)} characters)")

    monkeypatch.setattr(markdown._markdown.Markdown, "convert", convert)
    with pytest.raises(exchange.ImportFailed) as failed:
        exchange.import_path(session, folder)
    found = {(Path(e.path).name, e.key) for e in failed.value.errors}
    assert found == {(path.name, "body"), ("ohjelma.md", "body")}
    assert "nested too deeply" in str(failed.value)


def test_ordinary_text_is_not_too_deep():
    rules = "- - - - - - - - - - - - - - - - - - - - - - - -\n\n* * *"
    fenced = "```\n" + " " * 200 + "koodi\n```\n\n> lainaus\n> > sisempi\n\n- a\n    - b\n        1. c"
    assert markdown.too_deep_line(rules) is None and markdown.too_deep_line(fenced) is None
    assert markdown.too_deep_line("ok\n\n" + "> " * 21 + "x") == 3 and markdown.too_deep_line("> " * 20 + "x") is None


@pytest.fixture
def member(app_session):
    return make_member(app_session)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_form_refuses_a_body_nested_too_deeply(app, member, lang):
    client = app.test_client()
    sign_in(client)
    for action in ("preview", "save"):
        response = post_form(client, f"/new/idea?lang={lang}", {**FORM, "do": action, "body": DEEP[0]})
        assert response.status_code == 400 and 'id="body-error"' in response.text
        assert ">" * 1000 in response.text.replace("&gt;", ">")  # what was typed is kept


def test_previews_are_limited_per_account_across_workers(app, member):
    app.config["PREVIEWS_PER_HOUR"] = 3
    other_app = create_app({**{k: app.config[k] for k in ("TESTING", "INSTANCE_DIR", "DATABASE_URL", "SECRET_KEY")},
                            "PREVIEWS_PER_HOUR": 3})
    try:
        first, second = app.test_client(), other_app.test_client()
        sign_in(first), sign_in(second)
        for client in (first, second, first):
            assert post_form(client, "/new/idea", FORM).status_code == 200
        for client in (second, first):
            refused = post_form(client, "/new/idea?lang=en", {**FORM, "title": "Pidetty otsikko"})
            assert refused.status_code == 429 and 3000 < int(refused.headers["Retry-After"]) <= 3601
            assert "You have previewed 3 times" in refused.text and 'value="Pidetty otsikko"' in refused.text
        assert post_form(first, "/new/idea", {**FORM, "do": "save"}).status_code == 302  # saving still works
    finally:
        close_app(other_app)
