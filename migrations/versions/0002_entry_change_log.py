"""entry change log

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0002'
down_revision: Union[str, None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('entry_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('entry_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entry_change_entry_id'), ['entry_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('entry_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entry_change_entry_id'))

    op.drop_table('entry_change')
