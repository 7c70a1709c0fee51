"""Record on each evaluation how its interaction was picked: random, targeted or by hand.

Existing evaluations of an interaction that a sampling plan assigned to the same reviewer were
drawn at random (spotlight plans did not exist yet); every other one was chosen by hand.
Downgrade drops the column.

Revision ID: b09170f44b74
Revises: 086d74ae4dcb
Create Date: 2026-12-07 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b09170f44b74'
down_revision = '086d74ae4dcb'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        # The server default fills the rows already there; dropped below, as the model sets it.
        batch_op.add_column(sa.Column('picked', sa.Enum('random', 'targeted', 'hand', name='pick_reason', native_enum=False, create_constraint=True, length=16), nullable=False, server_default='hand'))
    op.execute(
        "UPDATE evaluations SET picked = 'random' WHERE NOT is_calibration AND EXISTS ("
        " SELECT 1 FROM sampling_assignments AS a WHERE a.interaction_id = evaluations.interaction_id"
        " AND a.reviewer_id = evaluations.reviewer_id)"
    )
    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.alter_column('picked', server_default=None)


def downgrade():
    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_evaluations_pick_reason'), type_='check')
        batch_op.drop_column('picked')
