"""structured descriptions: entry details (JSON), evidence levels, contacts' organisation, phone and consent

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0015'
down_revision: Union[str, None] = '0014'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('details', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('evidence_level', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('evidence_proposed', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_entry_evidence_level'), ['evidence_level'], unique=False)
        batch_op.create_check_constraint(
            'ck_entry_evidence_level',
            "evidence_level IS NULL OR (type = 'practice' AND evidence_level BETWEEN 1 AND 5)")
        batch_op.create_check_constraint(
            'ck_entry_evidence_proposed',
            "evidence_proposed IS NULL OR (type = 'practice' AND evidence_proposed BETWEEN 1 AND 5)")
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True))
        batch_op.add_column(sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
        batch_op.add_column(sa.Column('agreed', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_column('agreed')
        batch_op.drop_column('phone')
        batch_op.drop_column('organisation')
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.drop_constraint('ck_entry_evidence_proposed', type_='check')
        batch_op.drop_constraint('ck_entry_evidence_level', type_='check')
        batch_op.drop_index(batch_op.f('ix_entry_evidence_level'))
        batch_op.drop_column('evidence_proposed')
        batch_op.drop_column('evidence_level')
        batch_op.drop_column('details')
