"""Add users.language: the language a user chose (NULL follows the browser).

Revision ID: 1e36caa0bc04
Revises: c48919523228
Create Date: 2026-11-23 19:15:19.927454

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1e36caa0bc04'
down_revision = 'c48919523228'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('language')
