"""Count customer metrics per interaction: agent_day_interaction_stats, and drop the survey sums
from agent_day_stats (they were counted once per evaluation there).

Run `flask results rebuild` after upgrading (and after downgrading): it fills the new table
from the interactions.

Revision ID: 5b0c7e2a9d31
Revises: 1e36caa0bc04
Create Date: 2026-11-24 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b0c7e2a9d31'
down_revision = '1e36caa0bc04'
branch_labels = None
depends_on = None

COUNTERS = [
    ('csat_n', sa.Integer()),
    ('csat_positive', sa.Integer()),
    ('nps_n', sa.Integer()),
    ('nps_promoters', sa.Integer()),
    ('nps_detractors', sa.Integer()),
    ('ces_n', sa.Integer()),
    ('ces_sum', sa.BigInteger()),
    ('fcr_known', sa.Integer()),
    ('fcr_resolved', sa.Integer()),
    ('aht_n', sa.Integer()),
    ('aht_sum', sa.BigInteger()),
]


def upgrade():
    op.create_table('agent_day_interaction_stats',
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('interactions', sa.Integer(), nullable=False),
    *[sa.Column(name, kind, nullable=False) for name, kind in COUNTERS],
    sa.ForeignKeyConstraint(['agent_id'], ['users.id'], name=op.f('fk_agent_day_interaction_stats_agent_id_users')),
    sa.PrimaryKeyConstraint('agent_id', 'day', 'channel', name=op.f('pk_agent_day_interaction_stats')),
    sqlite_with_rowid=False,
    )
    with op.batch_alter_table('agent_day_stats', schema=None) as batch_op:
        for name, _kind in reversed(COUNTERS):
            batch_op.drop_column(name)


def downgrade():
    # Zeros until `flask results rebuild` counts them again (per evaluation, as before).
    with op.batch_alter_table('agent_day_stats', schema=None) as batch_op:
        for name, kind in COUNTERS:
            batch_op.add_column(sa.Column(name, kind, nullable=False, server_default='0'))
    op.drop_table('agent_day_interaction_stats')
