"""Add an Auto QA rule to criteria: a nullable JSON spec, part of the scorecard version.

Existing criteria get no rule. Downgrade drops the column and the rules in it.

Revision ID: 3f8b2d6c1a47
Revises: 7a3c1e9b5d20
Create Date: 2026-12-05 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3f8b2d6c1a47'
down_revision = '7a3c1e9b5d20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('criteria', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rule', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('criteria', schema=None) as batch_op:
        batch_op.drop_column('rule')
