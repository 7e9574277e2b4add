"""Schema migrations (Alembic, in the top-level migrations/ folder) and first-start set-up."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine
from sqlmodel import select

from .config import MIGRATIONS_DIR
from .db import session_scope, writing
from .models import Entry
from . import vocabulary
from .organisations import load_register
from .reference import load_reference_data

if TYPE_CHECKING:
    from alembic.config import Config


def alembic_config(engine: Engine) -> Config:
    """Return an Alembic config for ENGINE's database, independent of the working directory.

    Alembic is imported here, not with the module: its some 10 MB of objects (Mako, Pygments,
    its own commands) are then only in the processes that migrate, never in the server's master,
    whose memory every worker inherits (`serve --workers` migrates in a child: server.apart)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade ENGINE's database to REVISION."""
    from alembic import command

    with writing(engine).begin() as connection:
        cfg = alembic_config(engine)
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Downgrade ENGINE's database to REVISION."""
    from alembic import command

    with writing(engine).begin() as connection:
        cfg = alembic_config(engine)
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, revision)


def init_database(engine: Engine) -> None:
    """Migrate to head and load the reference data (municipalities, themes, the organisation register)
    and, into a database that never had one, the shipped thesaurus."""
    upgrade(engine)
    with session_scope(engine) as session:
        load_reference_data(session)
        vocabulary.seed_if_empty(session)
        load_register(session)


def seed_if_empty(engine: Engine, content_dir: Path) -> int:
    """Import and publish CONTENT_DIR when the database has no entries yet; return how many."""
    from .exchange import import_path  # exchange imports the whole domain; keep start-up light

    with session_scope(engine) as session:
        if session.exec(select(Entry.id).limit(1)).first() is not None or not content_dir.is_dir():
            return 0
        report = import_path(session, content_dir, publish=True)
        return len(report.created)
