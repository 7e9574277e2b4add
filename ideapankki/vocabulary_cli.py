"""`ideapankki vocabulary`: export the thesaurus (its file format or SKOS Turtle) and import it."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import config, migrate, progress, vocabulary
from .db import open_engine, session_scope
from .vocabulary_format import VocabularyError, serialise_vocabulary
from .vocabulary_turtle import DEFAULT_BASE, check_base, to_turtle


def _engine():
    engine = open_engine(config.storage())
    click.get_current_context().call_on_close(engine.dispose)
    return engine


@click.group("vocabulary")
def vocabulary_group() -> None:
    """The thesaurus search expands queries through (docs/vocabulary.md)."""


@vocabulary_group.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "form", type=click.Choice(["yaml", "turtle"]), default=None,
              help="yaml (the thesaurus file format, for `vocabulary import`) or turtle (SKOS); "
                   "by default turtle for a .ttl file, else yaml.")
@click.option("--base-uri", default=DEFAULT_BASE, show_default=True,
              help="Turtle: concept IRIs are this followed by the concept's id.")
def export_command(file: Path, form: str | None, base_uri: str) -> None:
    """Write the whole thesaurus to FILE (an import of the yaml file gives it back unchanged)."""
    form = form or ("turtle" if file.suffix.lower() == ".ttl" else "yaml")
    try:
        check_base(base_uri)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--base-uri") from None
    with session_scope(_engine()) as session:
        concepts = vocabulary.load_concepts(session)
    text = to_turtle(concepts, base_uri) if form == "turtle" else serialise_vocabulary(concepts)
    try:
        file.write_text(text, encoding="utf-8")
    except OSError as exc:
        click.echo(f"error: {file}: {exc.strerror or exc}", err=True)
        sys.exit(1)
    click.echo(f"Exported {len(concepts)} concepts to {file} ({form}).")


@vocabulary_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def import_command(file: Path) -> None:
    """Replace the thesaurus with FILE (yaml); all or nothing. Search uses it from the next query."""
    engine = _engine()
    migrate.init_database(engine)
    try:
        with session_scope(engine) as session, progress.bar("Importing", unit="concepts") as shown:  # a terminal
            count = vocabulary.import_file(session, file, progress=shown)
    except VocabularyError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        click.echo(f"Nothing was imported ({len(exc.problems)} error(s)).", err=True)
        sys.exit(1)
    click.echo(f"Imported {count} concepts from {file}.")
