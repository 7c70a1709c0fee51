"""Create self_reviews and self_review_scores; add self_reviews_per_agent to sampling_plans.

An agent scores one of their own interactions. Separate tables, so no query of evaluations
(results, trust, calibration, reports) can count them. Existing plans ask for no self-review
(0). Downgrade drops both tables, the self-reviews in them, and the plans' number.

Revision ID: edb8baa2c654
Revises: 4a9d6e3b2c18
Create Date: 2026-12-13 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'edb8baa2c654'
down_revision = '4a9d6e3b2c18'
branch_labels = None
depends_on = None


def upgrade():
    # The server default fills the plans already there; dropped afterwards, as the model sets it.
    with op.batch_alter_table('sampling_plans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('self_reviews_per_agent', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_check_constraint(batch_op.f('ck_sampling_plans_self_reviews_not_negative'), 'self_reviews_per_agent >= 0')
    with op.batch_alter_table('sampling_plans', schema=None) as batch_op:
        batch_op.alter_column('self_reviews_per_agent', server_default=None)

    op.create_table('self_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('interaction_id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('scorecard_version_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('open', 'submitted', 'declined', name='self_review_status', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('score', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('is_critical_fail', sa.Boolean(), nullable=False),
    sa.Column('strengths', sa.Text(), nullable=False),
    sa.Column('improvements', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['users.id'], name=op.f('fk_self_reviews_agent_id_users')),
    sa.ForeignKeyConstraint(['interaction_id'], ['interactions.id'], name=op.f('fk_self_reviews_interaction_id_interactions')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_self_reviews_requested_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['scorecard_version_id'], ['scorecard_versions.id'], name=op.f('fk_self_reviews_scorecard_version_id_scorecard_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_self_reviews')),
    sa.UniqueConstraint('interaction_id', name='uq_self_reviews_interaction')
    )
    with op.batch_alter_table('self_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_self_reviews_agent_id'), ['agent_id'], unique=False)

    op.create_table('self_review_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('self_review_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.SmallInteger(), nullable=True),
    sa.Column('is_na', sa.Boolean(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.CheckConstraint('NOT (is_na AND score IS NOT NULL)', name=op.f('ck_self_review_scores_self_na_has_no_score')),
    sa.CheckConstraint('score BETWEEN 1 AND 5', name=op.f('ck_self_review_scores_self_score_range')),
    sa.ForeignKeyConstraint(['criterion_id'], ['criteria.id'], name=op.f('fk_self_review_scores_criterion_id_criteria')),
    sa.ForeignKeyConstraint(['self_review_id'], ['self_reviews.id'], name=op.f('fk_self_review_scores_self_review_id_self_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_self_review_scores')),
    sa.UniqueConstraint('self_review_id', 'criterion_id', name='uq_self_review_scores_pair')
    )
    with op.batch_alter_table('self_review_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_self_review_scores_criterion_id'), ['criterion_id'], unique=False)


def downgrade():
    with op.batch_alter_table('self_review_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_self_review_scores_criterion_id'))

    op.drop_table('self_review_scores')
    with op.batch_alter_table('self_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_self_reviews_agent_id'))

    op.drop_table('self_reviews')
    with op.batch_alter_table('sampling_plans', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_sampling_plans_self_reviews_not_negative'), type_='check')
        batch_op.drop_column('self_reviews_per_agent')
