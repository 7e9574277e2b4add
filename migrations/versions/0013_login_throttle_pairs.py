"""login throttle pairs: a failed log-in is one (account, address) row instead of two keyed rows

An address is then throttled only for the accounts it has tried itself, and the distinct
accounts one address tried can be counted. The rows are a 15-minute window of transient
state, so they are dropped rather than converted.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0013'
down_revision: Union[str, None] = '0012'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.execute(sa.text("DELETE FROM login_attempt"))
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_login_attempt_key')
        batch_op.drop_column('key')
        batch_op.add_column(sa.Column('account', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False))
        batch_op.add_column(sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False))
        batch_op.create_index('ix_login_attempt_account_at', ['account', 'at'], unique=False)
        batch_op.create_index('ix_login_attempt_address_at', ['address', 'at'], unique=False)


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM login_attempt"))
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_login_attempt_address_at')
        batch_op.drop_index('ix_login_attempt_account_at')
        batch_op.drop_column('address')
        batch_op.drop_column('account')
        batch_op.add_column(sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False))
        batch_op.create_index('ix_login_attempt_key', ['key'], unique=False)
