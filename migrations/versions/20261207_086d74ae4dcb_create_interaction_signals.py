"""Create interaction_signals: the signals found on each interaction (spotlight).

One row per (interaction, kind), with the figure behind it and details as JSON. Downgrade drops
the table and the signals in it; they can be computed again.

Revision ID: 086d74ae4dcb
Revises: 5d1a8c3e7f92
Create Date: 2026-12-07 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '086d74ae4dcb'
down_revision = '5d1a8c3e7f92'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('interaction_signals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('interaction_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('low_auto_score', 'auto_critical_fail', 'low_csat', 'nps_detractor', 'high_effort', 'not_resolved', 'long_handle', 'long_wait', 'escalation', 'repeat_contact', 'earlier_dispute', 'earlier_low_score', name='signal_kind', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('figure', sa.Float(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=True),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['interaction_id'], ['interactions.id'], name=op.f('fk_interaction_signals_interaction_id_interactions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interaction_signals')),
    sa.UniqueConstraint('interaction_id', 'kind', name=op.f('uq_interaction_signals_interaction_id'))
    )
    with op.batch_alter_table('interaction_signals', schema=None) as batch_op:
        batch_op.create_index('ix_interaction_signals_kind_interaction', ['kind', 'interaction_id'], unique=False)



def downgrade():
    with op.batch_alter_table('interaction_signals', schema=None) as batch_op:
        batch_op.drop_index('ix_interaction_signals_kind_interaction')

    op.drop_table('interaction_signals')
