"""adoptions: organisations that have a practice or idea in use, or are interested; "adapted from" links

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0016'
down_revision: Union[str, None] = '0015'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

OLD_KINDS = "kind IN ('led_to', 'needs_norm_change', 'based_on', 'similar_to', 'translation_of')"
NEW_KINDS = "kind IN ('led_to', 'needs_norm_change', 'based_on', 'similar_to', 'translation_of', 'adapted_from')"


def upgrade() -> None:
    op.create_table('adoption',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('link', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('marked_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('adopted', 'interested')", name='ck_adoption_status'),
    sa.CheckConstraint("(status = 'adopted') = (year IS NOT NULL)", name='ck_adoption_year'),
    sa.CheckConstraint('year IS NULL OR year BETWEEN 1900 AND 2200', name='ck_adoption_year_range'),
    sa.ForeignKeyConstraint(['entry_id'], ['entry.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['marked_by'], ['account.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('entry_id', 'organisation_id', name='uq_adoption_entry_organisation')
    )
    with op.batch_alter_table('adoption', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_adoption_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_adoption_organisation_id'), ['organisation_id'], unique=False)
    with op.batch_alter_table('entry_relation', schema=None) as batch_op:
        batch_op.drop_constraint('ck_entry_relation_kind', type_='check')
        batch_op.create_check_constraint('ck_entry_relation_kind', NEW_KINDS)


def downgrade() -> None:
    op.execute("DELETE FROM entry_relation WHERE kind = 'adapted_from'")
    with op.batch_alter_table('entry_relation', schema=None) as batch_op:
        batch_op.drop_constraint('ck_entry_relation_kind', type_='check')
        batch_op.create_check_constraint('ck_entry_relation_kind', OLD_KINDS)
    with op.batch_alter_table('adoption', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_adoption_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_adoption_entry_id'))
    op.drop_table('adoption')
