"""organisation register: kinds for wellbeing services counties, regional councils, joint authorities, ministries; Swedish names

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0019'
down_revision: Union[str, None] = '0018'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

OLD_KINDS = "kind IN ('municipality', 'group', 'association')"
NEW_KINDS = ("kind IN ('municipality', 'wellbeing_county', 'regional_council', 'joint_authority', 'association', "
             "'ministry', 'group')")


def upgrade() -> None:
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_sv', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
        batch_op.drop_constraint('ck_organisation_kind', type_='check')
        batch_op.create_check_constraint('ck_organisation_kind', NEW_KINDS)


def downgrade() -> None:
    op.execute("UPDATE organisation SET kind = 'group' WHERE kind IN "
               "('wellbeing_county', 'regional_council', 'joint_authority', 'ministry')")
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_constraint('ck_organisation_kind', type_='check')
        batch_op.create_check_constraint('ck_organisation_kind', OLD_KINDS)
        batch_op.drop_column('name_sv')
