"""Keep the root cause picks counted per agent, day, channel, scorecard, cause and criterion.

The result pages counted the picks by joining the picks, scores, evaluations and interactions of
the whole period on every request; they now read agent_day_cause_stats, kept by the same session
hook as the other aggregates (docs/root-causes.md). The upgrade fills it with one INSERT ... SELECT,
the grouping `flask results rebuild` uses; the downgrade drops it.

Revision ID: a3f9c2d7e815
Revises: e7b3d5a91c42
Create Date: 2026-12-31 14:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a3f9c2d7e815"
down_revision = "e7b3d5a91c42"
branch_labels = None
depends_on = None

KEYS = ["agent_id", "day", "channel", "scorecard_id", "root_cause_id", "criterion_id"]


def upgrade():
    op.create_table(
        "agent_day_cause_stats",
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("scorecard_id", sa.Integer(), nullable=False),
        sa.Column("root_cause_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("picks", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["users.id"], name=op.f("fk_agent_day_cause_stats_agent_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["criterion_id"],
            ["criteria.id"],
            name=op.f("fk_agent_day_cause_stats_criterion_id_criteria"),
        ),
        sa.ForeignKeyConstraint(
            ["root_cause_id"],
            ["root_causes.id"],
            name=op.f("fk_agent_day_cause_stats_root_cause_id_root_causes"),
        ),
        sa.ForeignKeyConstraint(
            ["scorecard_id"],
            ["scorecards.id"],
            name=op.f("fk_agent_day_cause_stats_scorecard_id_scorecards"),
        ),
        sa.PrimaryKeyConstraint(*KEYS, name=op.f("pk_agent_day_cause_stats")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("agent_day_cause_stats", schema=None) as batch_op:
        batch_op.create_index(
            "ix_agent_day_cause_stats_day",
            ["day", "picks"],
            unique=False,
            postgresql_include=["root_cause_id", "criterion_id", "agent_id", "channel"],
        )
    op.execute(_fill_sql(op.get_bind().dialect.name))


def downgrade():
    with op.batch_alter_table("agent_day_cause_stats", schema=None) as batch_op:
        batch_op.drop_index("ix_agent_day_cause_stats_day")
    op.drop_table("agent_day_cause_stats")


def _fill_sql(dialect):
    """Picks of scores of 1-3 of submitted, non-calibration evaluations, grouped by the keys."""
    if dialect == "postgresql":
        day = "CAST(timezone('UTC', i.occurred_at) AS DATE)"
        false = "false"
    else:
        day = "date(i.occurred_at)"
        false = "0"
    groups = ["i.agent_id", day, "i.channel", "v.scorecard_id", "p.root_cause_id", "s.criterion_id"]
    return f"""
        INSERT INTO agent_day_cause_stats ({', '.join(KEYS)}, picks)
        SELECT {', '.join(groups)}, count(*)
        FROM evaluation_score_causes AS p
        JOIN evaluation_scores AS s ON s.id = p.evaluation_score_id
        JOIN evaluations AS e ON e.id = s.evaluation_id
        JOIN interactions AS i ON i.id = e.interaction_id
        JOIN scorecard_versions AS v ON v.id = e.scorecard_version_id
        WHERE e.status = 'submitted' AND e.is_calibration = {false} AND s.score <= 3
        GROUP BY {', '.join(groups)}
    """
