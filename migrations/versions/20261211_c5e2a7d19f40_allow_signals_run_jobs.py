"""Allow one more job kind: signals runs (computing interaction signals again).

Only the CHECK constraint on jobs.kind changes. Downgrade deletes the signals run jobs (they
could not be stored under the old constraint) and restores it.

Revision ID: c5e2a7d19f40
Revises: 3f6b2a9d7c41
Create Date: 2026-12-08 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c5e2a7d19f40'
down_revision = '3f6b2a9d7c41'
branch_labels = None
depends_on = None

OLD_KINDS = ('interaction_import', 'report_export', 'sampling_run', 'results_rebuild', 'autoqa_run')
NEW_KINDS = (*OLD_KINDS, 'signals_run')


def _kind_check(kinds):
    listed = ', '.join(f"'{kind}'" for kind in kinds)
    return f'kind IN ({listed})'


def _replace_check(kinds):
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_jobs_job_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_jobs_job_kind'), _kind_check(kinds))


def upgrade():
    _replace_check(NEW_KINDS)


def downgrade():
    jobs = sa.table('jobs', sa.column('kind', sa.String))
    op.execute(sa.delete(jobs).where(jobs.c.kind.notin_(OLD_KINDS)))
    _replace_check(OLD_KINDS)
