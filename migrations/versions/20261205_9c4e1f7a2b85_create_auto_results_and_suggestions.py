"""Create auto_results and auto_suggestions: what the Auto QA rules suggested per interaction.

Kept apart from evaluations: one result per (interaction, scorecard version), one suggestion per
(result, criterion). Downgrade drops both tables and the suggestions in them.

Revision ID: 9c4e1f7a2b85
Revises: 3f8b2d6c1a47
Create Date: 2026-12-05 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9c4e1f7a2b85'
down_revision = '3f8b2d6c1a47'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('auto_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('interaction_id', sa.Integer(), nullable=False),
    sa.Column('scorecard_version_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('critical_fail', sa.Boolean(), nullable=False),
    sa.Column('criteria_total', sa.Integer(), nullable=False),
    sa.Column('criteria_with_rule', sa.Integer(), nullable=False),
    sa.Column('criteria_decided', sa.Integer(), nullable=False),
    sa.Column('scored_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['interaction_id'], ['interactions.id'], name=op.f('fk_auto_results_interaction_id_interactions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['scorecard_version_id'], ['scorecard_versions.id'], name=op.f('fk_auto_results_scorecard_version_id_scorecard_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auto_results')),
    sa.UniqueConstraint('interaction_id', 'scorecard_version_id', name='uq_auto_results_interaction_version')
    )
    with op.batch_alter_table('auto_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auto_results_interaction_id'), ['interaction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_auto_results_scorecard_version_id'), ['scorecard_version_id'], unique=False)

    op.create_table('auto_suggestions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('result_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.Enum('point', 'n/a', 'cannot_decide', name='auto_outcome', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('point', sa.SmallInteger(), nullable=True),
    sa.Column('reason', sa.String(length=40), nullable=True),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.CheckConstraint('point BETWEEN 1 AND 5', name=op.f('ck_auto_suggestions_point_range')),
    sa.ForeignKeyConstraint(['criterion_id'], ['criteria.id'], name=op.f('fk_auto_suggestions_criterion_id_criteria'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['result_id'], ['auto_results.id'], name=op.f('fk_auto_suggestions_result_id_auto_results'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auto_suggestions')),
    sa.UniqueConstraint('result_id', 'criterion_id', name='uq_auto_suggestions_criterion')
    )
    with op.batch_alter_table('auto_suggestions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auto_suggestions_criterion_id'), ['criterion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_auto_suggestions_result_id'), ['result_id'], unique=False)


def downgrade():
    with op.batch_alter_table('auto_suggestions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auto_suggestions_result_id'))
        batch_op.drop_index(batch_op.f('ix_auto_suggestions_criterion_id'))

    op.drop_table('auto_suggestions')
    with op.batch_alter_table('auto_results', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auto_results_scorecard_version_id'))
        batch_op.drop_index(batch_op.f('ix_auto_results_interaction_id'))

    op.drop_table('auto_results')
