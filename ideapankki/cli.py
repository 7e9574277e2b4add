"""The `ideapankki` command: init, import, export, serve, backup... Same domain functions as the web."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import config, migrate, progress, vocabulary_cli
from .db import open_engine, session_scope
from .web.digest_command import moderator_digest
from .web.notify_command import notify as notify_command


def _engine():
    """The command's engine, opened as the site opens it, closed when the command ends (open
    connections would outlive it)."""
    engine = open_engine(config.storage())
    click.get_current_context().call_on_close(engine.dispose)
    return engine


def _search_index(engine):
    """The index in the instance folder, opened as the site opens it."""
    from .search import open_index

    return open_index(config.storage(), engine)


@click.group(help="Ideapankki – the idea bank of Finnish municipal experimentation.")
def main() -> None:
    pass


@main.command("init")
def init_command() -> None:
    """Create or migrate the database in the instance folder and load the reference data."""
    engine = _engine()
    migrate.init_database(engine)
    click.echo(f"Database ready: {engine.url.render_as_string(hide_password=True)}")


@main.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--publish", is_flag=True, help="Publish the imported entries straight away.")
def import_command(path: Path, publish: bool) -> None:
    """Import a content file or folder (content/<type>/<slug>.md); all or nothing."""
    from .exchange import ImportFailed, import_path

    engine = _engine()
    migrate.init_database(engine)
    try:
        with session_scope(engine) as session, progress.bar("Importing") as shown:  # on a terminal only
            report = import_path(session, path, publish=publish, progress=shown)
    except ImportFailed as exc:
        for error in exc.errors:
            click.echo(f"error: {error}", err=True)
        click.echo(f"Nothing was imported ({len(exc.errors)} error(s)).", err=True)
        sys.exit(1)
    click.echo(
        f"Imported {len(report.created)} new, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged; {len(report.published)} published."
    )
    _search_index(engine).catch_up()


@main.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def export_command(directory: Path) -> None:
    """Write every entry to DIRECTORY/<type>/<slug>.md in the content format."""
    from .exchange import export_dir

    engine = _engine()
    with session_scope(engine) as session:
        written = export_dir(session, directory)
    click.echo(f"Exported {len(written)} entries to {directory}")


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", type=click.IntRange(1, 64),
              help="Run the production server (gunicorn) with this many worker processes.")
@click.option("--debug", is_flag=True, help="Development server: reload on code changes and show tracebacks.")
def serve_command(host: str, port: int, workers: int | None, debug: bool) -> None:
    """Run the site; on first start, migrate and publish the seed content.

    Without --workers: the demo (development) server, with a secret key generated into the
    instance, and links built from its own address. With --workers N: gunicorn with N workers;
    IDEAPANKKI_SECRET_KEY and IDEAPANKKI_PUBLIC_URL are required (config.production_problems).
    """
    if workers and debug:
        raise click.UsageError("--debug runs the development server; leave out --workers.")
    if workers:
        # fail in the master, before any worker starts, with messages that say what to set
        problems = config.production_problems()
        for problem in problems:
            click.echo(f"error: {problem}", err=True)
        if problems:
            sys.exit(1)
        from .web.serving import server as serving

        serving.start_voikko()  # first: the indexing in _prepare asks it too, so the master never loads Voikko
    serving.apart(_prepare) if workers else _prepare()  # gunicorn's master keeps none of what migrating left
    if workers:
        serving.share_with_workers(config.instance_dir() / "search", config.storage()["DATABASE_URL"])
        click.echo(f"Ideapankki is running at http://{host}:{port}/ with {workers} workers (Ctrl+C stops it)")
        serving.run(serving.options(workers, host, port))
        return
    from .web.serving import dev_server

    app = dev_server.demo_app(host, port, debug)
    click.echo(f"Ideapankki is running at http://{host}:{port}/  (Ctrl+C stops it)")
    app.run(host=host, port=port, debug=debug, use_reloader=debug)


def _prepare() -> None:
    """Once, before serving: migrate, publish the seed on first start, bring the index up to date.

    Done here rather than in each worker, so workers never race on migrations or a rebuild. The
    engine is disposed afterwards: no database connection is inherited by a forked worker.
    """
    engine = _engine()
    try:
        migrate.init_database(engine)
        seeded = migrate.seed_if_empty(engine, config.CONTENT_DIR)
        if seeded:
            click.echo(f"Published {seeded} seed entries from {config.CONTENT_DIR}")
        # The index catches up with every change committed while no server ran (or builds itself).
        _search_index(engine).catch_up()
    finally:
        engine.dispose()


@main.command("reindex")
def reindex_command() -> None:
    """Rebuild the search index from the database into a new folder and swap it in."""
    engine = _engine()
    migrate.init_database(engine)
    with progress.bar("Indexing", unit="steps") as report:  # a bar on a terminal only: entries done, rate, time left
        count = _search_index(engine).rebuild(progress=report)
    click.echo(f"Search index rebuilt: {count} published entries.")


@main.command("send-mail")
def send_mail_command() -> None:
    """Send the messages waiting in the outbox (their first try failed: the SMTP server was down)."""
    from . import mail, outbox

    engine = _engine()
    migrate.init_database(engine)
    sent = outbox.deliver(engine, mail.MailSettings.from_environment(config.instance_dir()))
    waiting = outbox.waiting(engine)
    click.echo(f"Sent {sent} messages; {waiting} still waiting.")
    if waiting:
        sys.exit(1)


@main.command("backup")
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
def backup_command(dest: Path) -> None:
    """Back up the database and instance secrets into the new folder DEST (safe while the site runs)."""
    from . import backup

    try:
        manifest = backup.backup(_engine(), config.instance_dir(), dest)
    except backup.BackupError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    counts = manifest["counts"]
    click.echo(f"Backed up {counts['entries']} entries, {counts['revisions']} revisions and "
               f"{counts['audit_rows']} audit rows to {dest} (schema {manifest['migration_head']}).")


@main.command("restore")
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite an instance that already has a database.")
def restore_command(src: Path, force: bool) -> None:
    """Restore a backup made by `ideapankki backup` into the instance and rebuild the search index."""
    from . import backup

    try:
        manifest = backup.restore(src, _engine(), config.instance_dir(), force=force)
    except backup.BackupError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Restored {manifest['counts']['entries']} entries from {src}; "
               f"search index rebuilt ({manifest['indexed']} published entries).")


@main.command("search")
@click.argument("query", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print the same JSON as GET /api/v1/search.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--type", "entry_type", type=click.Choice(["practice", "idea", "norm"]))
@click.option("--base-url", default="http://127.0.0.1:5000", show_default=True, help="Address used in result URLs.")
def search_command(query: tuple[str, ...], as_json: bool, limit: int, entry_type: str | None, base_url: str) -> None:
    """Search the published entries with the index in the instance folder."""
    import json

    from .search import results as searching
    from .search.filters import Filters

    from .search import IndexUnavailable

    engine = _engine()
    index = _search_index(engine)
    try:
        with session_scope(engine) as session:
            result = searching.find(session, index, " ".join(query), Filters(type=entry_type), per_page=limit)
            data = searching.to_json(result, lambda e: f"{base_url.rstrip('/')}/entries/{e.slug}")
    except IndexUnavailable as exc:
        index.healer.wait()  # let the rebuild this search started finish before the process ends
        done = ("it was rebuilt from the database: search again" if index.healer.last_error is None
                else f"its rebuild failed ({index.healer.last_error}): run `ideapankki reindex`")
        click.echo(f"error: the search index was unreadable ({exc}); {done}", err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"{data['total']} result(s)")
    if data["suggestion"]:
        click.echo(f"Did you mean: {data['suggestion']}")
    for rank, hit in enumerate(data["results"], 1):
        click.echo(f"{rank:3}. [{hit['type']}] {hit['title']}\n     {hit['url']}")


@main.group("user")
def user_group() -> None:
    """Accounts (there is no default admin: create the first one here)."""


@user_group.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(["member", "moderator", "admin"]), required=True)
@click.option("--org", "org_name", help="Organisation: a municipality's name, or a group created if missing.")
@click.option("--name", help="Display name (default: the part of the address before @).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_add_command(email: str, role: str, org_name: str | None, name: str | None, password_stdin: bool) -> None:
    """Create a confirmed account with ROLE."""
    from . import accounts
    from .models import Role

    password = (sys.stdin.readline().rstrip("\n") if password_stdin
                else click.prompt("Password", hide_input=True, confirmation_prompt=True))
    engine = _engine()
    migrate.init_database(engine)
    try:
        with session_scope(engine) as session:
            organisation = accounts.find_or_create_organisation(session, org_name) if org_name else None
            user = accounts.add_user(session, email=email, role=Role(role), password=password, name=name,
                                     organisation=organisation)
            click.echo(f"Created {user.email} ({user.role}"
                       + (f", {organisation.name}" if organisation else "") + ").")
    except accounts.AccountError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


@user_group.command("role")
@click.argument("email")
@click.argument("role", type=click.Choice(["member", "moderator", "admin"]))
def user_role_command(email: str, role: str) -> None:
    """Give the account EMAIL the role ROLE (its sessions are signed out)."""
    from . import accounts
    from .models import Role

    engine = _engine()
    try:
        with session_scope(engine) as session:
            user = accounts.set_role(session, email, Role(role))
            click.echo(f"{user.email} is now {user.role}.")
    except accounts.AccountError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


@main.group("db")
def db_group() -> None:
    """Schema migrations (for developers)."""


@db_group.command("revision")
@click.option("-m", "--message", required=True)
def revision_command(message: str) -> None:
    """Autogenerate a migration from the difference between the models and the database."""
    from alembic import command

    engine = _engine()
    migrate.upgrade(engine)
    command.revision(migrate.alembic_config(engine), message=message, autogenerate=True)


main.add_command(notify_command)  # followers' mail: ideapankki/web/notify_command.py
main.add_command(vocabulary_cli.vocabulary_group)  # the thesaurus: ideapankki/vocabulary_cli.py
main.add_command(moderator_digest)  # moderators' daily digest: ideapankki/web/digest_command.py

if __name__ == "__main__":
    main()
