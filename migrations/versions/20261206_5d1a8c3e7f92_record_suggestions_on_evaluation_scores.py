"""Record on evaluation scores the Auto QA suggestion found at save, and whether it was kept.

`suggestion` is none / kept / overridden; `suggested_point` the suggested point (none with a
suggestion means N/A). Existing scores had no suggestion: they get `none`. Downgrade drops both
columns and what they recorded.

Revision ID: 5d1a8c3e7f92
Revises: b7d2e4a91c36
Create Date: 2026-12-06 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d1a8c3e7f92'
down_revision = 'b7d2e4a91c36'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('evaluation_scores', schema=None) as batch_op:
        # The server default fills the rows already there; it is dropped below, as the model
        # sets the value itself.
        batch_op.add_column(sa.Column('suggestion', sa.Enum('none', 'kept', 'overridden', name='suggestion_state', native_enum=False, create_constraint=True, length=16), nullable=False, server_default='none'))
        batch_op.add_column(sa.Column('suggested_point', sa.SmallInteger(), nullable=True))
        batch_op.create_check_constraint(op.f('ck_evaluation_scores_suggested_point_range'), 'suggested_point BETWEEN 1 AND 5')
    with op.batch_alter_table('evaluation_scores', schema=None) as batch_op:
        batch_op.alter_column('suggestion', server_default=None)


def downgrade():
    with op.batch_alter_table('evaluation_scores', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_evaluation_scores_suggested_point_range'), type_='check')
        batch_op.drop_constraint(op.f('ck_evaluation_scores_suggestion_state'), type_='check')
        batch_op.drop_column('suggested_point')
        batch_op.drop_column('suggestion')
