"""norm proposal fields

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0004'
down_revision: Union[str, None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proposal_action', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
        batch_op.add_column(sa.Column('proposal_justification', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('proposal_savings', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('proposal_time', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('proposal_people', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('proposal_proposer_role', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
        batch_op.create_check_constraint(
            'ck_entry_proposal_action',
            "proposal_action IS NULL OR (type = 'norm' AND proposal_action IN "
            "('remove', 'loosen', 'trial_exemption', 'reform'))")
        batch_op.create_check_constraint(
            'ck_entry_proposer_role',
            "proposal_proposer_role IS NULL OR (type = 'norm' AND proposal_proposer_role IN "
            "('official', 'elected', 'other'))")



def downgrade() -> None:
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.drop_constraint('ck_entry_proposer_role', type_='check')
        batch_op.drop_constraint('ck_entry_proposal_action', type_='check')
        batch_op.drop_column('proposal_proposer_role')
        batch_op.drop_column('proposal_people')
        batch_op.drop_column('proposal_time')
        batch_op.drop_column('proposal_savings')
        batch_op.drop_column('proposal_justification')
        batch_op.drop_column('proposal_action')

