"""followers by e-mail: addresses, what they follow, the events notify reads; headers on outbox mail

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0017'
down_revision: Union[str, None] = '0016'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('follow_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('published', 'version', 'norm_status', 'adoption')", name='ck_follow_event_kind'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('follow_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_event_entry_id'), ['entry_id'], unique=False)

    op.create_table('follower',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('token', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('frequency', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('seen_event_id', sa.Integer(), nullable=False),
    sa.Column('last_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_on', sa.Date(), nullable=True),
    sa.Column('sent_that_day', sa.Integer(), nullable=False),
    sa.CheckConstraint("frequency IN ('immediate', 'daily', 'weekly')", name='ck_follower_frequency'),
    sa.CheckConstraint("language IN ('fi', 'sv', 'en')", name='ck_follower_language'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('email'),
    sa.UniqueConstraint('token')
    )
    op.create_table('notify_cursor',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('last_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('follow_subscription',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('follower_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('value', sqlmodel.sql.sqltypes.AutoString(length=600), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirm_token', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('all', 'entry', 'theme', 'municipality', 'region', 'programme', 'search')", name='ck_follow_subscription_kind'),
    sa.ForeignKeyConstraint(['follower_id'], ['follower.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('confirm_token'),
    sa.UniqueConstraint('follower_id', 'kind', 'value', name='uq_follow_subscription')
    )
    with op.batch_alter_table('follow_subscription', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_subscription_follower_id'), ['follower_id'], unique=False)

    with op.batch_alter_table('outbox_mail', schema=None) as batch_op:
        batch_op.add_column(sa.Column('headers', sa.Text(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('outbox_mail', schema=None) as batch_op:
        batch_op.drop_column('headers')

    with op.batch_alter_table('follow_subscription', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_subscription_follower_id'))

    op.drop_table('follow_subscription')
    op.drop_table('notify_cursor')
    op.drop_table('follower')
    with op.batch_alter_table('follow_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_event_entry_id'))

    op.drop_table('follow_event')
