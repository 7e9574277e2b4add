"""`ideapankki vocabulary export|import`: a lossless round trip, all or nothing, and SKOS Turtle that parses."""

import io
from types import SimpleNamespace

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.namespace import SKOS

from ideapankki.cli import main
from ideapankki.vocabulary import SHIPPED_FILE, read_file


@pytest.fixture
def runner(tmp_path, monkeypatch, databases):
    """The CLI on a new instance, initialised (the shipped thesaurus seeded): its database is a copy of
    the session's migrated template, made by migrate.init_database, what `init` runs (a migration from
    nothing cost ~2.5 s of each test; `init` on an empty database is
    tests/test_cli.py::test_init_creates_the_database, on both kinds, and on an initialised one every
    `import` there and `vocabulary import` here)."""
    databases.for_instance(tmp_path / "instance", monkeypatch)
    return CliRunner()


def test_export_import_export_is_lossless(runner, tmp_path):
    first, second = tmp_path / "first.yaml", tmp_path / "second.yaml"
    result = runner.invoke(main, ["vocabulary", "export", str(first)])
    assert result.exit_code == 0, result.output
    assert read_file(first) == read_file(SHIPPED_FILE)
    edited = first.read_text(encoding="utf-8").replace("fi: [esiopetus, esikoulu,",
                                                       "fi: [esiopetus, eskarivuosi, esikoulu,")
    first.write_text(edited, encoding="utf-8")
    result = runner.invoke(main, ["vocabulary", "import", str(first)])
    assert result.exit_code == 0 and f"Imported {len(read_file(SHIPPED_FILE))} concepts" in result.output, result.output
    assert runner.invoke(main, ["vocabulary", "export", str(second)]).exit_code == 0
    assert second.read_bytes() == first.read_bytes()


def test_a_bad_file_changes_nothing_and_each_error_names_the_file_and_concept(runner, tmp_path):
    before, after, bad = tmp_path / "before.yaml", tmp_path / "after.yaml", tmp_path / "bad.yaml"
    runner.invoke(main, ["vocabulary", "export", str(before)])
    bad.write_text(before.read_text(encoding="utf-8").replace("broader: [theme-koulutus]", "broader: [koulutusx]", 1)
                   + "- id: tyhja\n", encoding="utf-8")
    result = runner.invoke(main, ["vocabulary", "import", str(bad)])
    assert result.exit_code == 1
    assert f"error: {bad}: concept 'varhaiskasvatus': broader 'koulutusx' is not a concept" in result.output
    assert f"error: {bad}: concept 'tyhja': a Finnish label (fi) is required" in result.output
    assert "Nothing was imported (2 error(s))." in result.output
    runner.invoke(main, ["vocabulary", "export", str(after)])
    assert after.read_bytes() == before.read_bytes()
    missing = runner.invoke(main, ["vocabulary", "import", str(tmp_path / "missing.yaml")])
    assert missing.exit_code == 1 and "missing.yaml: cannot be read" in missing.output


def test_the_turtle_export_is_skos_that_rdflib_reads(runner, tmp_path):
    path = tmp_path / "vocabulary.ttl"
    base = ["--base-uri", "https://ideapankki.example/sanasto/"]
    result = runner.invoke(main, ["vocabulary", "export", str(path), *base])
    assert result.exit_code == 0 and "(turtle)" in result.output, result.output
    graph = rdflib.Graph().parse(path, format="turtle")
    concept = rdflib.URIRef("https://ideapankki.example/sanasto/esiopetus")
    assert rdflib.Literal("esikoulu", lang="fi") in set(graph.objects(concept, SKOS.altLabel))
    assert rdflib.Literal("förskoleundervisning", lang="sv") in set(graph.objects(concept, SKOS.prefLabel))
    assert (concept, SKOS.broader, rdflib.URIRef("https://ideapankki.example/sanasto/theme-koulutus")) in graph
    assert (rdflib.URIRef("https://ideapankki.example/sanasto/theme-koulutus"), SKOS.narrower, concept) in graph
    assert len(set(graph.subjects(rdflib.RDF.type, SKOS.Concept))) == len(read_file(SHIPPED_FILE))
    bad = runner.invoke(main, ["vocabulary", "export", str(path), "--base-uri", "not a uri"])
    assert bad.exit_code == 2 and "--base-uri" in bad.output


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_import_shows_progress_on_a_terminal_and_nothing_in_a_pipe(runner, tmp_path, monkeypatch):
    from ideapankki import progress

    monkeypatch.delenv("CI", raising=False)
    piped = runner.invoke(main, ["vocabulary", "import", str(SHIPPED_FILE)])  # the runner's streams: no terminal
    assert piped.exit_code == 0 and "concepts/s" not in piped.output, piped.output
    terminal = _Terminal()
    monkeypatch.setattr(progress, "sys", SimpleNamespace(stderr=terminal))
    result = runner.invoke(main, ["vocabulary", "import", str(SHIPPED_FILE)])
    assert result.exit_code == 0, result.output
    count = len(read_file(SHIPPED_FILE))
    shown = terminal.getvalue()
    assert "Importing" in shown and f"{count}/{count}" in shown and "concepts/s" in shown
