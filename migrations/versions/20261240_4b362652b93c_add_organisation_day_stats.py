"""Add organisation_day_stats: every agent's evaluation sums together per day.

The organisation's weekly trend reads its whole weeks from organisation_week_stats but the
ragged days at either end of a range (a four-week period that starts on a Tuesday) still summed
every agent's daily rows, about 6 ms on SQLite at a million evaluations. This table holds the
same sums per day, channel, scorecard and spotlight split for all agents together. It is kept
exact by the same session hook as the agents' daily rows (summed again from them for the days a
flush touched) and filled here from agent_day_stats, as `flask results rebuild` fills it.

Downgrade drops the table; the trend then sums the agents' daily rows again.

Revision ID: 4b362652b93c
Revises: 818ae77a3707
Create Date: 2026-12-05 06:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "4b362652b93c"
down_revision = "818ae77a3707"
branch_labels = None
depends_on = None

KEYS = ["day", "channel", "scorecard_id", "targeted"]
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
        "organisation_day_stats",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("scorecard_id", sa.Integer(), nullable=False),
        sa.Column("targeted", sa.Boolean(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        *(sa.Column(name, kind, nullable=False) for name, kind in SUMS),
        sa.ForeignKeyConstraint(
            ["scorecard_id"],
            ["scorecards.id"],
            name=op.f("fk_organisation_day_stats_scorecard_id_scorecards"),
        ),
        sa.PrimaryKeyConstraint(*KEYS, name=op.f("pk_organisation_day_stats")),
        sqlite_with_rowid=False,
    )
    names = ", ".join([*KEYS, "week_start", *(name for name, _kind in SUMS)])
    sums = ", ".join(f"SUM({name})" for name, _kind in SUMS)
    keys = ", ".join([*KEYS, "week_start"])
    op.execute(
        f"INSERT INTO organisation_day_stats ({names}) "
        f"SELECT {keys}, {sums} FROM agent_day_stats GROUP BY {keys}"
    )


def downgrade():
    op.drop_table("organisation_day_stats")
