"""Create escalation_phrase_lists: the escalation phrases an admin edited, per language.

A language without a row keeps the shipped list. Downgrade drops the table and the edits in it.

Revision ID: 4a9d6e3b2c18
Revises: c5e2a7d19f40
Create Date: 2026-12-08 10:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4a9d6e3b2c18'
down_revision = 'c5e2a7d19f40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('escalation_phrase_lists',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('phrases', sa.JSON(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_escalation_phrase_lists_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escalation_phrase_lists')),
    sa.UniqueConstraint('language', name=op.f('uq_escalation_phrase_lists_language'))
    )


def downgrade():
    op.drop_table('escalation_phrase_lists')
