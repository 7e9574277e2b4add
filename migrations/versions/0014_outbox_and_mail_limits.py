"""outbox for mail sent after commit; anonymous mail requests for their limits

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0014'
down_revision: Union[str, None] = '0013'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('outbox_mail',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recipient', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )

    op.create_table('mail_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('client', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('mail_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_request_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_request_address'), ['address'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_request_client'), ['client'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('mail_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_request_client'))
        batch_op.drop_index(batch_op.f('ix_mail_request_address'))
        batch_op.drop_index(batch_op.f('ix_mail_request_at'))
    op.drop_table('mail_request')
    op.drop_table('outbox_mail')
