"""report: readers' reports of an error or inappropriate content, resolved by moderators

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0020'
down_revision: Union[str, None] = '0019'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by', sa.Integer(), nullable=True),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
    sa.Column('replied', sa.Boolean(), nullable=False),
    sa.CheckConstraint("action IS NULL OR action IN ('edit', 'archive', 'none')", name='ck_report_action'),
    sa.CheckConstraint("reason IN ('factual_error', 'outdated', 'personal_data', 'inappropriate', 'other')", name='ck_report_reason'),
    sa.CheckConstraint('(resolved_at IS NULL) = (action IS NULL)', name='ck_report_resolved'),
    sa.CheckConstraint('resolved_at IS NULL OR email IS NULL', name='ck_report_no_address_kept'),
    sa.ForeignKeyConstraint(['entry_id'], ['entry.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resolved_by'], ['account.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_resolved_at'), ['resolved_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_resolved_at'))
        batch_op.drop_index(batch_op.f('ix_report_entry_id'))

    op.drop_table('report')
