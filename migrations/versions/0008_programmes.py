"""programmes

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 19:41:45.970007
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0008'
down_revision: Union[str, None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('programme',
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('body_md', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('law_title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('law_number', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('law_confirmed', sa.Date(), nullable=True),
    sa.Column('areas', sa.Integer(), nullable=True),
    sa.Column('participants_total', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("language IN ('fi', 'sv', 'en')", name='ck_programme_language'),
    sa.CheckConstraint('areas IS NULL OR areas >= 0', name='ck_programme_areas'),
    sa.CheckConstraint('law_title IS NOT NULL OR (law_number IS NULL AND law_confirmed IS NULL)', name='ck_programme_law'),
    sa.CheckConstraint('length(slug) > 0 AND length(title) > 0', name='ck_programme_nonempty'),
    sa.CheckConstraint('participants_total IS NULL OR participants_total >= 0', name='ck_programme_total'),
    sa.CheckConstraint('period_end IS NULL OR period_end >= period_start', name='ck_programme_period'),
    sa.PrimaryKeyConstraint('slug')
    )
    op.create_table('programme_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_slug', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('url', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.ForeignKeyConstraint(['programme_slug'], ['programme.slug'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('programme_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_link_programme_slug'), ['programme_slug'], unique=False)

    op.create_table('programme_municipality',
    sa.Column('programme_slug', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('municipality_code', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], ),
    sa.ForeignKeyConstraint(['programme_slug'], ['programme.slug'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('programme_slug', 'municipality_code')
    )
    with op.batch_alter_table('programme_municipality', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_municipality_municipality_code'), ['municipality_code'], unique=False)

    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('programme_slug', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True))
        batch_op.create_index(batch_op.f('ix_entry_programme_slug'), ['programme_slug'], unique=False)
        batch_op.create_foreign_key('fk_entry_programme_slug', 'programme', ['programme_slug'], ['slug'])
        batch_op.create_check_constraint('ck_entry_programme', "programme_slug IS NULL OR type = 'practice'")



def downgrade() -> None:
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.drop_constraint('ck_entry_programme', type_='check')
        batch_op.drop_constraint('fk_entry_programme_slug', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_entry_programme_slug'))
        batch_op.drop_column('programme_slug')

    with op.batch_alter_table('programme_municipality', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_municipality_municipality_code'))

    op.drop_table('programme_municipality')
    with op.batch_alter_table('programme_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_link_programme_slug'))

    op.drop_table('programme_link')
    op.drop_table('programme')
