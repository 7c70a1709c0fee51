"""Create evaluation_reviews and review_items, and mark senior reviewers on users.

A senior reviewer (or an admin) reviews a submitted evaluation criterion by criterion; the
reviewer quality page reads these rows (docs/reviewer-quality.md). Existing users start as not
senior. Downgrade drops the two tables, the reviews in them and the flag.

Revision ID: b7d41c9e2a53
Revises: edb8baa2c654
Create Date: 2026-12-13 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d41c9e2a53'
down_revision = 'edb8baa2c654'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_senior_reviewer', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('is_senior_reviewer', server_default=None)
    op.create_table('evaluation_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluations.id'], name=op.f('fk_evaluation_reviews_evaluation_id_evaluations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_evaluation_reviews_reviewed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_reviews')),
    sa.UniqueConstraint('evaluation_id', name=op.f('uq_evaluation_reviews_evaluation_id'))
    )
    with op.batch_alter_table('evaluation_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_reviews_reviewed_by_id'), ['reviewed_by_id'], unique=False)
    op.create_table('review_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('verdict', sa.Enum('agree', 'too_high', 'too_low', name='review_verdict', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['criterion_id'], ['criteria.id'], name=op.f('fk_review_items_criterion_id_criteria')),
    sa.ForeignKeyConstraint(['review_id'], ['evaluation_reviews.id'], name=op.f('fk_review_items_review_id_evaluation_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_items')),
    sa.UniqueConstraint('review_id', 'criterion_id', name='uq_review_items_pair')
    )
    with op.batch_alter_table('review_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_items_criterion_id'), ['criterion_id'], unique=False)


def downgrade():
    with op.batch_alter_table('review_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_items_criterion_id'))
    op.drop_table('review_items')
    with op.batch_alter_table('evaluation_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_reviews_reviewed_by_id'))
    op.drop_table('evaluation_reviews')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('is_senior_reviewer')
