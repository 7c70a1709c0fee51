"""Add the weekly and monthly rollups of the three per-agent-day result tables, filled from them.

agent_{week,month}_stats, agent_{week,month}_criterion_stats and
agent_{week,month}_interaction_stats
hold the daily tables' sums per agent and ISO week (its Monday) or calendar month (its first day);
the result pages read whole weeks and months from them. Each is filled here with one
INSERT ... SELECT SUM ... GROUP BY over its daily table, as `flask results rebuild` does. Also an
index on agent_day_interaction_stats (day, agent_id), for the ragged days at the ends of a
range read over every agent, and one on interactions (agent_id, occurred_at), for the few agents'
interactions in a range that the pages' Auto QA series and root causes read.

On PostgreSQL all nine aggregate tables get parallel_workers = 0: the pages read small slices of
them, and a parallel plan spent more starting its workers than reading the rows.

Downgrade drops the rollups and those indexes and resets the daily tables' parallel_workers; the pages then read the daily tables alone.

Revision ID: a9c4e1f7b352
Revises: a3f9c2d7e815
Create Date: 2026-12-31 18:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a9c4e1f7b352"
down_revision = "a3f9c2d7e815"
branch_labels = None
depends_on = None

EVALUATION_SUMS = [
    ("evaluations", sa.Integer()),
    ("scored", sa.Integer()),
    ("score_sum", sa.Float()),
    ("passed", sa.Integer()),
    ("critical_fails", sa.Integer()),
    ("band_excellent", sa.Integer()),
    ("band_good", sa.Integer()),
    ("band_satisfactory", sa.Integer()),
    ("band_needs_improvement", sa.Integer()),
    ("band_poor", sa.Integer()),
]
CRITERION_SUMS = [("scores", sa.Integer()), ("value_sum", sa.BigInteger())]
INTERACTION_SUMS = [
    ("interactions", sa.Integer()),
    ("csat_n", sa.Integer()),
    ("csat_positive", sa.Integer()),
    ("nps_n", sa.Integer()),
    ("nps_promoters", sa.Integer()),
    ("nps_detractors", sa.Integer()),
    ("ces_n", sa.Integer()),
    ("ces_sum", sa.BigInteger()),
    ("fcr_known", sa.Integer()),
    ("fcr_resolved", sa.Integer()),
    ("aht_n", sa.Integer()),
    ("aht_sum", sa.BigInteger()),
]
# daily table, rollup table's middle word, keys after agent and period, sums
FAMILIES = [
    (
        "agent_day_stats",
        "stats",
        [
            ("channel", sa.String(length=16)),
            ("scorecard_id", sa.Integer()),
            ("targeted", sa.Boolean()),
        ],
        EVALUATION_SUMS,
    ),
    (
        "agent_day_criterion_stats",
        "criterion_stats",
        [
            ("channel", sa.String(length=16)),
            ("scorecard_id", sa.Integer()),
            ("criterion_key", sa.String(length=32)),
        ],
        CRITERION_SUMS,
    ),
    (
        "agent_day_interaction_stats",
        "interaction_stats",
        [("channel", sa.String(length=16))],
        INTERACTION_SUMS,
    ),
]
GRAINS = [("week", "week_start"), ("month", "month_start")]


def _create(name, start, keys, sums):
    foreign = [
        sa.ForeignKeyConstraint(["agent_id"], ["users.id"], name=op.f(f"fk_{name}_agent_id_users"))
    ]
    if any(key == "scorecard_id" for key, _kind in keys):
        foreign.append(
            sa.ForeignKeyConstraint(
                ["scorecard_id"], ["scorecards.id"], name=op.f(f"fk_{name}_scorecard_id_scorecards")
            )
        )
    op.create_table(
        name,
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column(start, sa.Date(), nullable=False),
        *[sa.Column(key, kind, nullable=False) for key, kind in keys],
        *[sa.Column(column, kind, nullable=False) for column, kind in sums],
        *foreign,
        sa.PrimaryKeyConstraint(
            "agent_id", start, *[key for key, _kind in keys], name=op.f(f"pk_{name}")
        ),
        sqlite_with_rowid=False,
    )
    if start == "week_start":  # the month tables are small: scanned, not indexed
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.create_index(f"ix_{name}_{start}", [start, "agent_id"], unique=False)


def _fill(daily, name, grain, start, keys, sums):
    dialect = op.get_bind().dialect.name
    if grain == "week":
        period = "week_start"
    elif dialect == "postgresql":
        period = "CAST(date_trunc('month', CAST(day AS TIMESTAMP)) AS DATE)"
    else:
        period = "date(day, 'start of month')"
    key_list = ", ".join(key for key, _kind in keys)
    sum_names = ", ".join(column for column, _kind in sums)
    totals = ", ".join(f"sum({column})" for column, _kind in sums)
    op.execute(
        f"INSERT INTO {name} (agent_id, {start}, {key_list}, {sum_names}) "
        f"SELECT agent_id, {period}, {key_list}, {totals} FROM {daily} "
        f"GROUP BY agent_id, {period}, {key_list}"
    )


def upgrade():
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_interactions_agent_id_occurred_at", ["agent_id", "occurred_at"], unique=False
        )
    with op.batch_alter_table("agent_day_interaction_stats", schema=None) as batch_op:
        batch_op.create_index(
            "ix_agent_day_interaction_stats_day", ["day", "agent_id"], unique=False
        )
    for daily, middle, keys, sums in FAMILIES:
        for grain, start in GRAINS:
            name = f"agent_{grain}_{middle}"
            _create(name, start, keys, sums)
            _fill(daily, name, grain, start, keys, sums)
    if op.get_bind().dialect.name == "postgresql":
        for daily, middle, _keys, _sums in FAMILIES:
            for name in (daily, *(f"agent_{grain}_{middle}" for grain, _start in GRAINS)):
                op.execute(f"ALTER TABLE {name} SET (parallel_workers = 0)")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for daily, _middle, _keys, _sums in FAMILIES:
            op.execute(f"ALTER TABLE {daily} RESET (parallel_workers)")
    for _daily, middle, _keys, _sums in reversed(FAMILIES):
        for grain, start in reversed(GRAINS):
            name = f"agent_{grain}_{middle}"
            if start == "week_start":
                with op.batch_alter_table(name, schema=None) as batch_op:
                    batch_op.drop_index(f"ix_{name}_{start}")
            op.drop_table(name)
    with op.batch_alter_table("agent_day_interaction_stats", schema=None) as batch_op:
        batch_op.drop_index("ix_agent_day_interaction_stats_day")
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.drop_index("ix_interactions_agent_id_occurred_at")
