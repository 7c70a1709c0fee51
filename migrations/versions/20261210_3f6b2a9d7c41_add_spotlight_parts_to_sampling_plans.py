"""Spotlight sampling: a targeted part per plan, signal weights, why each assignment was picked.

Plans gain targeted_per_agent (0 for the plans already there: they stay purely random) and a
table of signal weights. Assignments gain picked (every existing one was drawn at random) and the
signals they were picked for; shortfalls gain is_targeted. Downgrade drops all of it, including
the targeted assignments' reasons.

Revision ID: 3f6b2a9d7c41
Revises: c5e81a7d2f46
Create Date: 2026-12-08 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3f6b2a9d7c41'
down_revision = 'c5e81a7d2f46'
branch_labels = None
depends_on = None

SIGNAL_KINDS = ('low_auto_score', 'auto_critical_fail', 'low_csat', 'nps_detractor', 'high_effort', 'not_resolved', 'long_handle', 'long_wait', 'escalation', 'repeat_contact', 'earlier_dispute', 'earlier_low_score')


def upgrade():
    # Server defaults fill the rows already there; dropped afterwards, as the models set them.
    with op.batch_alter_table('sampling_plans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('targeted_per_agent', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_check_constraint(batch_op.f('ck_sampling_plans_targeted_per_agent_not_negative'), 'targeted_per_agent >= 0')
    with op.batch_alter_table('sampling_assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('picked', sa.Enum('random', 'targeted', 'hand', name='pick_reason', native_enum=False, create_constraint=True, length=16), nullable=False, server_default='random'))
        batch_op.add_column(sa.Column('signals', sa.String(length=400), nullable=False, server_default=''))
        batch_op.create_check_constraint(batch_op.f('ck_sampling_assignments_picked_by_the_plan'), "picked <> 'hand'")
    with op.batch_alter_table('sampling_shortfalls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_targeted', sa.Boolean(), nullable=False, server_default=sa.false()))
    for table, columns in (
        ('sampling_plans', ('targeted_per_agent',)),
        ('sampling_assignments', ('picked', 'signals')),
        ('sampling_shortfalls', ('is_targeted',)),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(column, server_default=None)

    op.create_table('sampling_signal_weights',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum(*SIGNAL_KINDS, name='signal_kind', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.CheckConstraint('weight >= 1', name=op.f('ck_sampling_signal_weights_weight_positive')),
    sa.ForeignKeyConstraint(['plan_id'], ['sampling_plans.id'], name=op.f('fk_sampling_signal_weights_plan_id_sampling_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sampling_signal_weights')),
    sa.UniqueConstraint('plan_id', 'kind', name='uq_sampling_signal_weights_kind')
    )
    with op.batch_alter_table('sampling_signal_weights', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sampling_signal_weights_plan_id'), ['plan_id'], unique=False)


def downgrade():
    with op.batch_alter_table('sampling_signal_weights', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sampling_signal_weights_plan_id'))
    op.drop_table('sampling_signal_weights')
    with op.batch_alter_table('sampling_shortfalls', schema=None) as batch_op:
        batch_op.drop_column('is_targeted')
    with op.batch_alter_table('sampling_assignments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_sampling_assignments_picked_by_the_plan'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_sampling_assignments_pick_reason'), type_='check')
        batch_op.drop_column('signals')
        batch_op.drop_column('picked')
    with op.batch_alter_table('sampling_plans', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_sampling_plans_targeted_per_agent_not_negative'), type_='check')
        batch_op.drop_column('targeted_per_agent')
