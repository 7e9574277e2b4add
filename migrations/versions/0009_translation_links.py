"""typed links: translations

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23
"""
from typing import Sequence, Union

from alembic import op


revision: str = '0009'
down_revision: Union[str, None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

OLD = "kind IN ('led_to', 'needs_norm_change', 'based_on', 'similar_to')"
NEW = "kind IN ('led_to', 'needs_norm_change', 'based_on', 'similar_to', 'translation_of')"


def upgrade() -> None:
    with op.batch_alter_table('entry_relation', schema=None) as batch_op:
        batch_op.drop_constraint('ck_entry_relation_kind', type_='check')
        batch_op.create_check_constraint('ck_entry_relation_kind', NEW)


def downgrade() -> None:
    op.execute("DELETE FROM entry_relation WHERE kind = 'translation_of'")
    with op.batch_alter_table('entry_relation', schema=None) as batch_op:
        batch_op.drop_constraint('ck_entry_relation_kind', type_='check')
        batch_op.create_check_constraint('ck_entry_relation_kind', OLD)
