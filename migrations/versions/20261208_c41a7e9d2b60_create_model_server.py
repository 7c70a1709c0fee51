"""Create model_server: the one row of settings for the team's own model server (Auto QA).

Off by default; the API key is stored encrypted. Downgrade drops the table and the settings in
it (an admin enters them again).

Revision ID: c41a7e9d2b60
Revises: b09170f44b74
Create Date: 2026-12-08 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c41a7e9d2b60'
down_revision = 'b09170f44b74'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('model_server',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('base_url', sa.String(length=500), nullable=False),
    sa.Column('model', sa.String(length=200), nullable=False),
    sa.Column('api_key_encrypted', sa.Text(), nullable=True),
    sa.Column('timeout_seconds', sa.Integer(), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_model_server_single_row')),
    sa.CheckConstraint('timeout_seconds BETWEEN 1 AND 120', name=op.f('ck_model_server_timeout_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_model_server'))
    )


def downgrade():
    op.drop_table('model_server')
