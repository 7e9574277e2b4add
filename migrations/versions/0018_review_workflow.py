"""review workflow: the action of each move, four eyes waived, the last editor of a pending edit

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0018'
down_revision: Union[str, None] = '0017'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('transition', schema=None) as batch_op:
        batch_op.add_column(sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
        batch_op.add_column(sa.Column('waived', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('editor_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_revision_editor_id', 'account', ['editor_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.drop_constraint('fk_revision_editor_id', type_='foreignkey')
        batch_op.drop_column('editor_id')
    with op.batch_alter_table('transition', schema=None) as batch_op:
        batch_op.drop_column('waived')
        batch_op.drop_column('action')
