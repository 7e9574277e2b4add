"""vocabulary: the domain thesaurus (concepts, labels, links), its version and audit log

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0022'
down_revision: Union[str, None] = '0021'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('vocabulary_concept',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('theme_slug', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('region_code', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
    sa.Column('exact_match', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['theme_slug'], ['theme.slug'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    op.create_table('vocabulary_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('vocabulary_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('concept_key', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("action IN ('create', 'update', 'delete', 'seed', 'import')",
                       name='ck_vocabulary_change_action'),
    sa.ForeignKeyConstraint(['actor_id'], ['account.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_vocabulary_change_concept_key'), 'vocabulary_change', ['concept_key'], unique=False)
    op.create_table('vocabulary_label',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('concept_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('pref', 'alt', 'hidden')", name='ck_vocabulary_label_kind'),
    sa.CheckConstraint("language IN ('fi', 'sv', 'en')", name='ck_vocabulary_label_language'),
    sa.ForeignKeyConstraint(['concept_id'], ['vocabulary_concept.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('concept_id', 'language', 'text', name='uq_vocabulary_label')
    )
    op.create_index(op.f('ix_vocabulary_label_concept_id'), 'vocabulary_label', ['concept_id'], unique=False)
    op.create_table('vocabulary_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('concept_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('broader', 'related')", name='ck_vocabulary_link_kind'),
    sa.ForeignKeyConstraint(['concept_id'], ['vocabulary_concept.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_id'], ['vocabulary_concept.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('concept_id', 'kind', 'target_id', name='uq_vocabulary_link')
    )
    op.create_index(op.f('ix_vocabulary_link_concept_id'), 'vocabulary_link', ['concept_id'], unique=False)
    op.create_index(op.f('ix_vocabulary_link_target_id'), 'vocabulary_link', ['target_id'], unique=False)
    op.bulk_insert(sa.table('vocabulary_state', sa.column('id', sa.Integer), sa.column('version', sa.Integer)),
                   [{'id': 1, 'version': 0}])


def downgrade() -> None:
    op.drop_index(op.f('ix_vocabulary_link_target_id'), table_name='vocabulary_link')
    op.drop_index(op.f('ix_vocabulary_link_concept_id'), table_name='vocabulary_link')
    op.drop_table('vocabulary_link')
    op.drop_index(op.f('ix_vocabulary_label_concept_id'), table_name='vocabulary_label')
    op.drop_table('vocabulary_label')
    op.drop_index(op.f('ix_vocabulary_change_concept_key'), table_name='vocabulary_change')
    op.drop_table('vocabulary_change')
    op.drop_table('vocabulary_state')
    op.drop_table('vocabulary_concept')
