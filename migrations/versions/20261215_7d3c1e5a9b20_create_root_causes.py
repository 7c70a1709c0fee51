"""Create the root-cause lists and the picks per criterion score; history learns "root causes".

Adds root_cause_settings (required or optional per scorecard family), root_cause_categories,
root_causes and evaluation_score_causes, and lets evaluation_changes.field_kind hold
'root_causes'. Downgrade deletes those history entries (the old constraint cannot hold them)
and drops the tables with every list and pick in them.

Revision ID: 7d3c1e5a9b20
Revises: b7d41c9e2a53
Create Date: 2026-12-13 17:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d3c1e5a9b20'
down_revision = 'b7d41c9e2a53'
branch_labels = None
depends_on = None

OLD_FIELDS = (
    'score', 'criterion_score', 'comment', 'strengths', 'improvements', 'criterion', 'evaluation',
    'other',
)
NEW_FIELDS = (*OLD_FIELDS, 'root_causes')


def _replace_check(fields):
    listed = ', '.join(f"'{field}'" for field in fields)
    with op.batch_alter_table('evaluation_changes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_evaluation_changes_change_field'), type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_evaluation_changes_change_field'), f'field_kind IN ({listed})'
        )


def upgrade():
    op.create_table('root_cause_settings',
    sa.Column('scorecard_id', sa.Integer(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['scorecard_id'], ['scorecards.id'], name=op.f('fk_root_cause_settings_scorecard_id_scorecards'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('scorecard_id', name=op.f('pk_root_cause_settings'))
    )
    op.create_table('root_cause_categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scorecard_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('retired', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['scorecard_id'], ['scorecards.id'], name=op.f('fk_root_cause_categories_scorecard_id_scorecards'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_root_cause_categories')),
    sa.UniqueConstraint('scorecard_id', 'name', name='uq_root_cause_categories_name')
    )
    with op.batch_alter_table('root_cause_categories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_root_cause_categories_scorecard_id'), ['scorecard_id'], unique=False)

    op.create_table('root_causes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('retired', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['root_cause_categories.id'], name=op.f('fk_root_causes_category_id_root_cause_categories'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_root_causes')),
    sa.UniqueConstraint('category_id', 'name', name='uq_root_causes_name')
    )
    with op.batch_alter_table('root_causes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_root_causes_category_id'), ['category_id'], unique=False)

    op.create_table('evaluation_score_causes',
    sa.Column('evaluation_score_id', sa.Integer(), nullable=False),
    sa.Column('root_cause_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['evaluation_score_id'], ['evaluation_scores.id'], name=op.f('fk_evaluation_score_causes_evaluation_score_id_evaluation_scores'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['root_cause_id'], ['root_causes.id'], name=op.f('fk_evaluation_score_causes_root_cause_id_root_causes')),
    sa.PrimaryKeyConstraint('evaluation_score_id', 'root_cause_id', name=op.f('pk_evaluation_score_causes'))
    )
    with op.batch_alter_table('evaluation_score_causes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_score_causes_root_cause_id'), ['root_cause_id'], unique=False)

    _replace_check(NEW_FIELDS)


def downgrade():
    changes = sa.table('evaluation_changes', sa.column('field_kind', sa.String))
    op.execute(sa.delete(changes).where(changes.c.field_kind == 'root_causes'))
    _replace_check(OLD_FIELDS)
    with op.batch_alter_table('evaluation_score_causes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_score_causes_root_cause_id'))
    op.drop_table('evaluation_score_causes')
    with op.batch_alter_table('root_causes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_root_causes_category_id'))
    op.drop_table('root_causes')
    with op.batch_alter_table('root_cause_categories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_root_cause_categories_scorecard_id'))
    op.drop_table('root_cause_categories')
    op.drop_table('root_cause_settings')
