"""Add transcript_removed_at and transcript_removed_by to interactions (retention and erasure).

Both are empty for every existing interaction: nothing was removed before. Downgrade drops them;
the transcripts already removed stay removed.

Revision ID: c4e8a2f61d37
Revises: 8a1474787225
Create Date: 2026-12-20 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e8a2f61d37'
down_revision = '8a1474787225'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('interactions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('transcript_removed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('transcript_removed_by', sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table('interactions', schema=None) as batch_op:
        batch_op.drop_column('transcript_removed_by')
        batch_op.drop_column('transcript_removed_at')
