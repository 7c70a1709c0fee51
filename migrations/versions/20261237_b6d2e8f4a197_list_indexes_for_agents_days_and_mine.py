"""Index the evaluations by agent and interaction time; widen the submission and reviewer ones.

The evaluation list applies a range of days late (qa_app/ui/keyset.py, Late): it counts the
range's rows and reads the submission times they span. With a team or an agent filter, or as a
lead, (agent_id, occurred_at, submitted_at) gives those agents' rows of the range alone: at a
million evaluations a team's month is about 1,700 index entries, where the range over everyone
is 84,000. The index ends with is_calibration and status so a capped count reads it alone.

The reviewer's index, (reviewer_id, submitted_at, id), gets is_calibration and status at its end
for the same reason: the list's "mine" counts up to the cap from it alone. Without them SQLite,
whose statistics said one reviewer had written half the evaluations, scanned the whole table to
count another reviewer's (160 ms at a million, for none).

The submission-time index, (submitted_at), becomes (submitted_at, id, occurred_at,
is_calibration, status): the list walks it in its order to find a late range's rows among the
newest 2,000, and read each row's interaction time and status from the table (7 ms a walk at a
million); from the index alone a walk takes about 1 ms.

Downgrade drops the new index and gives the other two their old columns back.

Revision ID: b6d2e8f4a197
Revises: f3a8c61d2e57
Create Date: 2026-12-04 23:45:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "b6d2e8f4a197"
down_revision = "f3a8c61d2e57"
branch_labels = None
depends_on = None


SUBMITTED_AT = ["submitted_at", "id", "occurred_at", "is_calibration", "status"]


def upgrade():
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.drop_index("ix_evaluations_submitted_at")
        batch_op.create_index("ix_evaluations_submitted_at", SUBMITTED_AT)
        batch_op.create_index(
            "ix_evaluations_agent_occurred",
            ["agent_id", "occurred_at", "submitted_at", "is_calibration", "status"],
        )
        batch_op.drop_index("ix_evaluations_reviewer_submitted")
        batch_op.create_index(
            "ix_evaluations_reviewer_submitted",
            ["reviewer_id", "submitted_at", "id", "is_calibration", "status"],
        )


def downgrade():
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.drop_index("ix_evaluations_reviewer_submitted")
        batch_op.create_index(
            "ix_evaluations_reviewer_submitted", ["reviewer_id", "submitted_at", "id"]
        )
        batch_op.drop_index("ix_evaluations_agent_occurred")
        batch_op.drop_index("ix_evaluations_submitted_at")
        batch_op.create_index("ix_evaluations_submitted_at", ["submitted_at"])
