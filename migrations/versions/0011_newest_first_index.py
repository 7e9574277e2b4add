"""newest-first listing index on PostgreSQL: (state, published_on DESC NULLS LAST, id DESC)

Public listings order by `published_on DESC NULLS LAST, id DESC`. An ascending btree scanned
backwards yields DESC NULLS FIRST on PostgreSQL, so 0010's index could not give that order and
every page sorted all published rows. The index is rebuilt in the listing order, under the same
name; it still serves what the ascending one did (equality on state, ranges and index-only
counts on published_on), so keeping both would only cost writes.

SQLite needs nothing: NULL sorts smallest there, so the ascending index scanned backwards already
gives DESC with NULLs last (and SQLite rejects NULLS LAST in CREATE INDEX).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = '0011'
down_revision: Union[str, None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

NAME = 'ix_entry_state_published_on_id'


def _postgresql() -> bool:
    return op.get_bind().dialect.name == 'postgresql'


def upgrade() -> None:
    if _postgresql():
        op.drop_index(NAME, table_name='entry')
        op.create_index(NAME, 'entry', ['state', sa.text('published_on DESC NULLS LAST'), sa.text('id DESC')])


def downgrade() -> None:
    if _postgresql():
        op.drop_index(NAME, table_name='entry')
        op.create_index(NAME, 'entry', ['state', 'published_on', 'id'])
