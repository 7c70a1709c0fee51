"""Add organisation_week_stats: every agent's evaluation sums together per ISO week.

The organisation's weekly trend summed a row per agent and week (26,000 rows for a year of 500
agents, about 22 ms on SQLite at a million evaluations); this table holds the same sums per week,
channel, scorecard and spotlight split for all agents together, so the trend reads a row per
week. It is kept exact by the same session hook as the agents' week rows (summed again from them
for the weeks a flush touched) and filled here from agent_week_stats, as `flask results rebuild`
fills it.

Downgrade drops the table; the trend then sums the agents' week rows again.

Revision ID: c7e3a9d1f462
Revises: b6d2e8f4a197
Create Date: 2026-12-05 03:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c7e3a9d1f462"
down_revision = "b6d2e8f4a197"
branch_labels = None
depends_on = None

KEYS = ["week_start", "channel", "scorecard_id", "targeted"]
SUMS = [
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


def upgrade():
    op.create_table(
        "organisation_week_stats",
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("scorecard_id", sa.Integer(), nullable=False),
        sa.Column("targeted", sa.Boolean(), nullable=False),
        *(sa.Column(name, kind, nullable=False) for name, kind in SUMS),
        sa.ForeignKeyConstraint(
            ["scorecard_id"],
            ["scorecards.id"],
            name=op.f("fk_organisation_week_stats_scorecard_id_scorecards"),
        ),
        sa.PrimaryKeyConstraint(*KEYS, name=op.f("pk_organisation_week_stats")),
        sqlite_with_rowid=False,
    )
    names = ", ".join([*KEYS, *(name for name, _kind in SUMS)])
    sums = ", ".join(f"SUM({name})" for name, _kind in SUMS)
    keys = ", ".join(KEYS)
    op.execute(
        f"INSERT INTO organisation_week_stats ({names}) "
        f"SELECT {keys}, {sums} FROM agent_week_stats GROUP BY {keys}"
    )


def downgrade():
    op.drop_table("organisation_week_stats")
