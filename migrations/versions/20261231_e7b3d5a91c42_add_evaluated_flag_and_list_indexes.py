"""Add interactions.evaluated, filled from the evaluations, and the indexes the lists page with.

The flag is true while an interaction has a submitted evaluation outside calibration (drafts do
not count); the evaluations slice keeps it on every flush from now on. The index on (evaluated,
occurred_at, id) serves the interaction list's "Evaluated" filter in the list's own order. On
evaluations: a partial index of the drafts, which the evaluation list shows first.

Downgrade drops the indexes and the column: the list then searched the evaluations again.

Revision ID: e7b3d5a91c42
Revises: d7a3c9e5b214
Create Date: 2026-12-30 12:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "e7b3d5a91c42"
down_revision = "d7a3c9e5b214"
branch_labels = None
depends_on = None

FILL = """
UPDATE interactions SET evaluated = EXISTS (
    SELECT 1 FROM evaluations
    WHERE evaluations.interaction_id = interactions.id
      AND evaluations.status = 'submitted' AND NOT evaluations.is_calibration
)
"""


def upgrade():
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("evaluated", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.execute(FILL)
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_interactions_evaluated_occurred_at", ["evaluated", "occurred_at", "id"]
        )
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_evaluations_drafts",
            ["id"],
            sqlite_where=sa.text("submitted_at IS NULL"),
            postgresql_where=sa.text("submitted_at IS NULL"),
        )


def downgrade():
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.drop_index("ix_evaluations_drafts")
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.drop_index("ix_interactions_evaluated_occurred_at")
        batch_op.drop_column("evaluated")
