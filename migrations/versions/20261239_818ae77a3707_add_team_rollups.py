"""Add the team rollups: each team's evaluation and customer sums per day, week and month.

The organisation's page and the home page summed every agent's rollup rows per team (about
30-40 ms on SQLite at a million evaluations and 500 agents); these six tables hold the same
sums per team (of whoever is in it today), so those pages read a row per team and period. They
are kept exact by the same session hook as the agents' rows, and a change of a team's members
sums that team's rows again. Filled here from the agents' rows and today's teams, as
`flask results rebuild` fills them.

Downgrade drops the tables; the pages then sum the agents' rows again.

Revision ID: 818ae77a3707
Revises: c7e3a9d1f462
Create Date: 2026-12-05 05:30:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "818ae77a3707"
down_revision = "c7e3a9d1f462"
branch_labels = None
depends_on = None

EVALUATION_KEYS = [("channel", sa.String(length=16)), ("scorecard_id", sa.Integer()), ("targeted", sa.Boolean())]
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
INTERACTION_KEYS = [("channel", sa.String(length=16))]
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
GRAINS = [("day", "day"), ("week", "week_start"), ("month", "month_start")]
FAMILIES = [("stats", EVALUATION_KEYS, EVALUATION_SUMS), ("interaction_stats", INTERACTION_KEYS, INTERACTION_SUMS)]


def _tables():
    for suffix, keys, sums in FAMILIES:
        for grain, start in GRAINS:
            yield f"team_{grain}_{suffix}", f"agent_{grain}_{suffix}", start, keys, sums


def upgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, source, start, keys, sums in _tables():
        foreign = [
            sa.ForeignKeyConstraint(
                ["team_id"], ["teams.id"], name=op.f(f"fk_{name}_team_id_teams"), ondelete="CASCADE"
            )
        ]
        if any(key == "scorecard_id" for key, _kind in keys):
            foreign.append(
                sa.ForeignKeyConstraint(
                    ["scorecard_id"], ["scorecards.id"], name=op.f(f"fk_{name}_scorecard_id_scorecards")
                )
            )
        op.create_table(
            name,
            sa.Column("team_id", sa.Integer(), nullable=False),
            sa.Column(start, sa.Date(), nullable=False),
            *(sa.Column(key, kind, nullable=False) for key, kind in keys),
            *(sa.Column(column, kind, nullable=False) for column, kind in sums),
            *foreign,
            sa.PrimaryKeyConstraint(
                "team_id", start, *(key for key, _kind in keys), name=op.f(f"pk_{name}")
            ),
            sqlite_with_rowid=False,
        )
        if start != "month_start":
            op.create_index(op.f(f"ix_{name}_{start}"), name, [start, "team_id"])
        if postgresql:
            op.execute(f"ALTER TABLE {name} SET (parallel_workers = 0)")
        key_names = ", ".join(f"a.{key}" for key, _kind in keys)
        columns = ", ".join(["team_id", start, *(k for k, _ in keys), *(c for c, _ in sums)])
        totals = ", ".join(f"SUM(a.{column})" for column, _kind in sums)
        op.execute(
            f"INSERT INTO {name} ({columns}) "
            f"SELECT m.team_id, a.{start}, {key_names}, {totals} FROM {source} AS a "
            f"JOIN team_members AS m ON m.agent_id = a.agent_id "
            f"GROUP BY m.team_id, a.{start}, {key_names}"
        )


def downgrade():
    for name, _source, _start, _keys, _sums in reversed(list(_tables())):
        op.drop_table(name)
