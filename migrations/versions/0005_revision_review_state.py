"""revision review state

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0005'
down_revision: Union[str, None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
        batch_op.create_check_constraint(
            'ck_revision_state',
            "state IS NULL OR state IN ('draft', 'submitted', 'in_review', 'published', 'returned', 'rejected')")

    with op.batch_alter_table('transition', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_transition_revision_id', 'revision', ['revision_id'], ['id'], ondelete='CASCADE')



def downgrade() -> None:
    with op.batch_alter_table('transition', schema=None) as batch_op:
        batch_op.drop_constraint('fk_transition_revision_id', type_='foreignkey')
        batch_op.drop_column('revision_id')

    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.drop_constraint('ck_revision_state', type_='check')
        batch_op.drop_column('state')

