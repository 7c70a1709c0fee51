"""Count customer metrics per interaction: agent_day_interaction_stats, and drop the survey sums
from agent_day_stats (they were counted once per evaluation there).

The upgrade fills the new table from the interactions with one INSERT ... SELECT (the same
grouping as `flask results rebuild`); after a downgrade, run `flask results rebuild` to count the
old per-evaluation sums again.

Revision ID: 5b0c7e2a9d31
Revises: e4cd770dddb2
Create Date: 2026-11-24 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b0c7e2a9d31'
down_revision = 'e4cd770dddb2'
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
    op.execute(_fill_sql(op.get_bind().dialect.name))


def _fill_sql(dialect):
    """Every interaction once, per agent, UTC day and channel (as the app's rebuild counts)."""
    if dialect == 'postgresql':
        day = "CAST(timezone('UTC', occurred_at) AS DATE)"
        week = "CAST(date_trunc('week', timezone('UTC', occurred_at)) AS DATE)"
        true = 'true'
    else:
        day = 'date(occurred_at)'
        week = "date(occurred_at, 'weekday 0', '-6 days')"
        true = '1'
    names = ', '.join(name for name, _kind in COUNTERS)
    return f"""
        INSERT INTO agent_day_interaction_stats
            (agent_id, day, channel, week_start, interactions, {names})
        SELECT agent_id, {day}, channel, {week}, count(id),
            count(csat), count(CASE WHEN csat >= 4 THEN 1 END),
            count(nps), count(CASE WHEN nps >= 9 THEN 1 END), count(CASE WHEN nps <= 6 THEN 1 END),
            count(ces), coalesce(sum(ces), 0),
            count(first_contact_resolved),
            count(CASE WHEN first_contact_resolved = {true} THEN 1 END),
            count(handle_seconds), coalesce(sum(handle_seconds), 0)
        FROM interactions
        GROUP BY agent_id, {day}, channel, {week}
    """


def downgrade():
    # Zeros until `flask results rebuild` counts them again (per evaluation, as before).
    with op.batch_alter_table('agent_day_stats', schema=None) as batch_op:
        for name, kind in COUNTERS:
            batch_op.add_column(sa.Column(name, kind, nullable=False, server_default='0'))
    op.drop_table('agent_day_interaction_stats')
