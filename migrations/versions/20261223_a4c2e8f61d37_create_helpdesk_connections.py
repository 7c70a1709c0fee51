"""Create helpdesk_connections; allow helpdesk pull jobs and helpdesk export import batches.

A new table holds the Zendesk connection (address, email, the encrypted API token, schedule and
cursor). The CHECK constraints on jobs.kind and import_batches.file_format gain the new values.
Downgrade deletes the helpdesk pull jobs and the helpdesk import batches (their interactions
stay, without a batch), restores both constraints and drops the table.

Revision ID: a4c2e8f61d37
Revises: c4e8a2f61d37
Create Date: 2026-12-20 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a4c2e8f61d37'
down_revision = 'c4e8a2f61d37'
branch_labels = None
depends_on = None

OLD_KINDS = ('interaction_import', 'report_export', 'sampling_run', 'results_rebuild', 'autoqa_run', 'signals_run')
NEW_KINDS = (*OLD_KINDS, 'helpdesk_pull')
OLD_FORMATS = ('csv', 'jsonl')
NEW_FORMATS = (*OLD_FORMATS, 'zendesk', 'freshdesk', 'intercom')


def _listed(column, values):
    listed = ', '.join(f"'{value}'" for value in values)
    return f'{column} IN ({listed})'


def _replace_checks(kinds, formats):
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_jobs_job_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_jobs_job_kind'), _listed('kind', kinds))
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_import_batches_file_format'), type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_import_batches_file_format'), _listed('file_format', formats)
        )


def upgrade():
    op.create_table('helpdesk_connections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('base_url', sa.String(length=500), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('api_token_encrypted', sa.Text(), nullable=True),
    sa.Column('interval_minutes', sa.Integer(), nullable=False),
    sa.Column('start_time', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cursor', sa.Text(), nullable=True),
    sa.Column('last_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_pulled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('interval_minutes BETWEEN 0 AND 10080', name=op.f('ck_helpdesk_connections_interval_range')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_helpdesk_connections_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_helpdesk_connections')),
    sa.UniqueConstraint('source', name=op.f('uq_helpdesk_connections_source'))
    )
    _replace_checks(NEW_KINDS, NEW_FORMATS)


def downgrade():
    jobs = sa.table('jobs', sa.column('kind', sa.String))
    op.execute(sa.delete(jobs).where(jobs.c.kind.notin_(OLD_KINDS)))
    batches = sa.table('import_batches', sa.column('file_format', sa.String))
    op.execute(sa.delete(batches).where(batches.c.file_format.notin_(OLD_FORMATS)))
    _replace_checks(OLD_KINDS, OLD_FORMATS)
    op.drop_table('helpdesk_connections')
