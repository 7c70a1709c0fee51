"""Count the evaluations a spotlight plan targeted apart from the others in agent_day_stats.

The table gets a `targeted` column in its primary key, so the headline score can leave the
targeted evaluations out (docs/spotlight.md). Its rows are only sums of the evaluations, so both
directions drop the table, create it with the new keys and fill it from the submitted evaluations
with one INSERT ... SELECT, the same grouping as `flask results rebuild`.

Revision ID: c5e81a7d2f46
Revises: c41a7e9d2b60
Create Date: 2026-12-08 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c5e81a7d2f46'
down_revision = 'c41a7e9d2b60'
branch_labels = None
depends_on = None

KEYS = ['agent_id', 'day', 'channel', 'scorecard_id']
COUNTERS = [
    'evaluations', 'scored', 'score_sum', 'passed', 'critical_fails', 'band_excellent',
    'band_good', 'band_satisfactory', 'band_needs_improvement', 'band_poor',
]


def upgrade():
    _drop()
    _create(with_targeted=True)
    op.execute(_fill_sql(op.get_bind().dialect.name, with_targeted=True))


def downgrade():
    _drop()
    _create(with_targeted=False)
    op.execute(_fill_sql(op.get_bind().dialect.name, with_targeted=False))


def _drop():
    with op.batch_alter_table('agent_day_stats', schema=None) as batch_op:
        batch_op.drop_index('ix_agent_day_stats_week')
    op.drop_table('agent_day_stats')


def _create(with_targeted):
    targeted = [sa.Column('targeted', sa.Boolean(), nullable=False)] if with_targeted else []
    op.create_table('agent_day_stats',
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('scorecard_id', sa.Integer(), nullable=False),
    *targeted,
    sa.Column('week_start', sa.Date(), nullable=False),
    *[
        sa.Column(name, sa.Float() if name == 'score_sum' else sa.Integer(), nullable=False)
        for name in COUNTERS
    ],
    sa.ForeignKeyConstraint(['agent_id'], ['users.id'], name=op.f('fk_agent_day_stats_agent_id_users')),
    sa.ForeignKeyConstraint(['scorecard_id'], ['scorecards.id'], name=op.f('fk_agent_day_stats_scorecard_id_scorecards')),
    sa.PrimaryKeyConstraint(*KEYS, *(['targeted'] if with_targeted else []), name=op.f('pk_agent_day_stats')),
    sqlite_with_rowid=False,
    )
    with op.batch_alter_table('agent_day_stats', schema=None) as batch_op:
        batch_op.create_index('ix_agent_day_stats_week', ['week_start', 'agent_id'], unique=False)


def _fill_sql(dialect, with_targeted):
    """Submitted, non-calibration evaluations per agent, UTC day, channel, scorecard (and pick)."""
    if dialect == 'postgresql':
        day = "CAST(timezone('UTC', i.occurred_at) AS DATE)"
        week = "CAST(date_trunc('week', timezone('UTC', i.occurred_at)) AS DATE)"
        true, false = 'true', 'false'
    else:
        day = 'date(i.occurred_at)'
        week = "date(i.occurred_at, 'weekday 0', '-6 days')"
        true, false = '1', '0'
    groups = ['i.agent_id', day, 'i.channel', 'v.scorecard_id', week]
    if with_targeted:
        groups.append("e.picked = 'targeted'")
    keys = KEYS + ['week_start'] + (['targeted'] if with_targeted else [])
    return f"""
        INSERT INTO agent_day_stats ({', '.join(keys + COUNTERS)})
        SELECT {', '.join(groups)},
            count(e.id), count(e.score), coalesce(sum(e.score), 0),
            count(CASE WHEN e.score >= v.pass_mark THEN 1 END),
            count(CASE WHEN e.is_critical_fail = {true} THEN 1 END),
            count(CASE WHEN e.score >= 90 THEN 1 END),
            count(CASE WHEN e.score >= 75 AND e.score < 90 THEN 1 END),
            count(CASE WHEN e.score >= 60 AND e.score < 75 THEN 1 END),
            count(CASE WHEN e.score >= 40 AND e.score < 60 THEN 1 END),
            count(CASE WHEN e.score < 40 THEN 1 END)
        FROM evaluations AS e
        JOIN interactions AS i ON i.id = e.interaction_id
        JOIN scorecard_versions AS v ON v.id = e.scorecard_version_id
        WHERE e.status = 'submitted' AND e.is_calibration = {false}
        GROUP BY {', '.join(groups)}
    """
