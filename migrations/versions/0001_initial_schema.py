"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0001'
down_revision: Union[str, None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('municipality',
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('name_fi', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('name_sv', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('region_code', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('region_fi', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('region_sv', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('language_ratio', sa.Integer(), nullable=False),
    sa.CheckConstraint('language_ratio IN (1, 2, 3, 4)', name='ck_municipality_language'),
    sa.PrimaryKeyConstraint('code')
    )
    with op.batch_alter_table('municipality', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_municipality_name_fi'), ['name_fi'], unique=False)
        batch_op.create_index(batch_op.f('ix_municipality_name_sv'), ['name_sv'], unique=False)
        batch_op.create_index(batch_op.f('ix_municipality_region_code'), ['region_code'], unique=False)

    op.create_table('theme',
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('slug')
    )
    op.create_table('organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('municipality_code', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('auto_approve_domain', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('municipality', 'group', 'association')", name='ck_organisation_kind'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('email_confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('membership_approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('member', 'moderator', 'admin')", name='ck_account_role'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('email')
    )
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('type', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('body_md', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('trial_status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('origin', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("language IN ('fi', 'sv', 'en')", name='ck_entry_language'),
    sa.CheckConstraint("state IN ('draft', 'submitted', 'in_review', 'published', 'returned', 'rejected', 'archived')", name='ck_entry_state'),
    sa.CheckConstraint("trial_status IS NULL OR (type = 'practice' AND trial_status IN ('planned', 'ongoing', 'ended'))", name='ck_entry_trial_status'),
    sa.CheckConstraint("type IN ('practice', 'idea', 'norm')", name='ck_entry_type'),
    sa.CheckConstraint('length(slug) > 0 AND length(title) > 0', name='ck_entry_nonempty'),
    sa.CheckConstraint('period_start IS NULL OR period_end IS NULL OR period_end >= period_start', name='ck_entry_period'),
    sa.ForeignKeyConstraint(['author_id'], ['account.id'], ),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('slug')
    )
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entry_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_entry_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_entry_published_on'), ['published_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_entry_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_entry_type'), ['type'], unique=False)

    op.create_table('contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
    sa.ForeignKeyConstraint(['entry_id'], ['entry.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_entry_id'), ['entry_id'], unique=False)

    op.create_table('entry_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('url', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['entry.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('entry_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entry_link_entry_id'), ['entry_id'], unique=False)

    op.create_table('entry_municipality',
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('municipality_code', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['entry.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], ),
    sa.PrimaryKeyConstraint('entry_id', 'municipality_code')
    )
    with op.batch_alter_table('entry_municipality', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entry_municipality_municipality_code'), ['municipality_code'], unique=False)

    op.create_table('entry_tag',
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('tag', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['entry.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('entry_id', 'tag')
    )
    with op.batch_alter_table('entry_tag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entry_tag_tag'), ['tag'], unique=False)

    op.create_table('entry_theme',
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('theme_slug', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['entry.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_slug'], ['theme.slug'], ),
    sa.PrimaryKeyConstraint('entry_id', 'theme_slug')
    )
    with op.batch_alter_table('entry_theme', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entry_theme_theme_slug'), ['theme_slug'], unique=False)

    op.create_table('law_reference',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('section', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.ForeignKeyConstraint(['entry_id'], ['entry.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('law_reference', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_law_reference_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_law_reference_number'), ['number'], unique=False)

    op.create_table('revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['account.id'], ),
    sa.ForeignKeyConstraint(['entry_id'], ['entry.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('entry_id', 'number', name='uq_revision_entry_number')
    )
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_revision_entry_id'), ['entry_id'], unique=False)

    op.create_table('transition',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('from_state', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('to_state', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("from_state IN ('draft', 'submitted', 'in_review', 'published', 'returned', 'rejected', 'archived')", name='ck_transition_from'),
    sa.CheckConstraint("to_state IN ('draft', 'submitted', 'in_review', 'published', 'returned', 'rejected', 'archived')", name='ck_transition_to'),
    sa.ForeignKeyConstraint(['actor_id'], ['account.id'], ),
    sa.ForeignKeyConstraint(['entry_id'], ['entry.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('transition', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transition_entry_id'), ['entry_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('transition', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transition_entry_id'))

    op.drop_table('transition')
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_revision_entry_id'))

    op.drop_table('revision')
    with op.batch_alter_table('law_reference', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_law_reference_number'))
        batch_op.drop_index(batch_op.f('ix_law_reference_entry_id'))

    op.drop_table('law_reference')
    with op.batch_alter_table('entry_theme', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entry_theme_theme_slug'))

    op.drop_table('entry_theme')
    with op.batch_alter_table('entry_tag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entry_tag_tag'))

    op.drop_table('entry_tag')
    with op.batch_alter_table('entry_municipality', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entry_municipality_municipality_code'))

    op.drop_table('entry_municipality')
    with op.batch_alter_table('entry_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entry_link_entry_id'))

    op.drop_table('entry_link')
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_entry_id'))

    op.drop_table('contact')
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entry_type'))
        batch_op.drop_index(batch_op.f('ix_entry_state'))
        batch_op.drop_index(batch_op.f('ix_entry_published_on'))
        batch_op.drop_index(batch_op.f('ix_entry_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_entry_author_id'))

    op.drop_table('entry')
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_organisation_id'))

    op.drop_table('account')
    op.drop_table('organisation')
    op.drop_table('theme')
    with op.batch_alter_table('municipality', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_municipality_region_code'))
        batch_op.drop_index(batch_op.f('ix_municipality_name_sv'))
        batch_op.drop_index(batch_op.f('ix_municipality_name_fi'))

    op.drop_table('municipality')
