"""indexes for public listings: published entries by date, type and trial status

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""
from typing import Sequence, Union

from alembic import op


revision: str = '0010'
down_revision: Union[str, None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

INDEXES = {
    'ix_entry_state_published_on_id': ['state', 'published_on', 'id'],
    'ix_entry_state_type': ['state', 'type'],
    'ix_entry_state_trial_status': ['state', 'trial_status'],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, 'entry', columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name='entry')
