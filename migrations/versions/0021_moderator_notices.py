"""moderator notices: immediate mail or a daily digest, and the day of the last digest

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0021'
down_revision: Union[str, None] = '0020'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('moderator_notices', sqlmodel.sql.sqltypes.AutoString(length=20),
                                      server_default='immediate', nullable=False))
        batch_op.add_column(sa.Column('moderator_digest_on', sa.Date(), nullable=True))
        batch_op.create_check_constraint('ck_account_moderator_notices',
                                         "moderator_notices IN ('immediate', 'daily')")


def downgrade() -> None:
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_constraint('ck_account_moderator_notices', type_='check')
        batch_op.drop_column('moderator_digest_on')
        batch_op.drop_column('moderator_notices')
