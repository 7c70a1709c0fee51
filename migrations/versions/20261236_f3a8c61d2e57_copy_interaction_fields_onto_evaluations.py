"""Copy each interaction's agent, time and channel onto its evaluations, with the list indexes.

The evaluation list filters by these while it is sorted by the submission time; with the copies
on the evaluation, (agent_id, submitted_at, id) and (channel, submitted_at, id) serve the agent,
team and channel filters in the list's order, and (occurred_at, submitted_at) gives the
submission times a range of days spans, without joining the interactions. The reviewer's index
becomes (reviewer_id, submitted_at, id): it serves the list's "mine" in its order as well as
everything the single column served. The new indexes end with is_calibration and status, which
every list checks (the days' index with the agent too), so that a capped count reads an index
alone. The columns are added empty, filled from the interactions, then made NOT NULL; the
evaluations slice keeps them on every flush from now on.

Downgrade drops the indexes and the columns: the list then joined the interactions again.

Revision ID: f3a8c61d2e57
Revises: a9c4e1f7b352
Create Date: 2026-12-31 09:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f3a8c61d2e57"
down_revision = "a9c4e1f7b352"
branch_labels = None
depends_on = None

FILL = """
UPDATE evaluations SET
    agent_id = (SELECT i.agent_id FROM interactions AS i WHERE i.id = evaluations.interaction_id),
    occurred_at = (
        SELECT i.occurred_at FROM interactions AS i WHERE i.id = evaluations.interaction_id
    ),
    channel = (SELECT i.channel FROM interactions AS i WHERE i.id = evaluations.interaction_id)
"""
CHANNEL = sa.Enum(
    "call", "chat", "email", name="channel", native_enum=False, create_constraint=True, length=16
)


def upgrade():
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agent_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("channel", CHANNEL, nullable=True))
    op.execute(FILL)
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.alter_column("agent_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column(
            "occurred_at", existing_type=sa.DateTime(timezone=True), nullable=False
        )
        batch_op.alter_column("channel", existing_type=sa.String(length=16), nullable=False)
        batch_op.create_index(
            "ix_evaluations_agent_submitted",
            ["agent_id", "submitted_at", "id", "is_calibration", "status"],
        )
        batch_op.create_index(
            "ix_evaluations_channel_submitted",
            ["channel", "submitted_at", "id", "is_calibration", "status"],
        )
        batch_op.create_index(
            "ix_evaluations_occurred_submitted",
            ["occurred_at", "submitted_at", "is_calibration", "status", "agent_id"],
        )
        batch_op.drop_index("ix_evaluations_reviewer_id")
        batch_op.create_index(
            "ix_evaluations_reviewer_submitted", ["reviewer_id", "submitted_at", "id"]
        )


def downgrade():
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.drop_index("ix_evaluations_reviewer_submitted")
        batch_op.create_index("ix_evaluations_reviewer_id", ["reviewer_id"])
        batch_op.drop_index("ix_evaluations_occurred_submitted")
        batch_op.drop_index("ix_evaluations_channel_submitted")
        batch_op.drop_index("ix_evaluations_agent_submitted")
        batch_op.drop_constraint(op.f("ck_evaluations_channel"), type_="check")
        batch_op.drop_column("channel")
        batch_op.drop_column("occurred_at")
        batch_op.drop_column("agent_id")
