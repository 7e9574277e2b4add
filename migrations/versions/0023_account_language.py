"""account language: the language of the mail an account gets

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0023'
down_revision: Union[str, None] = '0022'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # Existing accounts keep Finnish, the language every account mail has been in so far.
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=2),
                                      server_default='fi', nullable=False))
        batch_op.create_check_constraint('ck_account_language', "language IN ('fi', 'sv', 'en')")


def downgrade() -> None:
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_constraint('ck_account_language', type_='check')
        batch_op.drop_column('language')
