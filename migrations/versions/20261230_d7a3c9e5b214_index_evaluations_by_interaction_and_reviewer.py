"""Index evaluations by interaction, reviewer and status: the scoring page's draft check.

Looking for the reviewer's draft of an interaction, both planners chose between the single-column
interaction and reviewer indexes by the order they were made in (a reviewer has thousands of
evaluations, an interaction one or two). This index matches all three equalities, so it wins on
every database however it was built. Downgrade drops it.

Revision ID: d7a3c9e5b214
Revises: c4e8a2f61d3b
Create Date: 2026-12-30 12:00:00.000000

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "d7a3c9e5b214"
down_revision = "c4e8a2f61d3b"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_evaluations_interaction_reviewer",
        "evaluations",
        ["interaction_id", "reviewer_id", "status"],
        unique=False,
    )


def downgrade():
    op.drop_index("ix_evaluations_interaction_reviewer", table_name="evaluations")
