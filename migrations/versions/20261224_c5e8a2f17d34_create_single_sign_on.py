"""Create single sign-on: the provider's settings, its role mappings, the site's sign-in policy,
and two flags on users (single sign-on only; break-glass admin).

Existing users get neither flag, and password sign-in stays on until an admin turns it off.
Downgrade drops the tables and the flags: the provider must be set up again.

Revision ID: c5e8a2f17d34
Revises: a4c2e8f61d37
Create Date: 2026-12-20 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c5e8a2f17d34'
down_revision = 'a4c2e8f61d37'
branch_labels = None
depends_on = None

ROLE = sa.Enum('admin', 'reviewer', 'lead', 'agent', name='role', native_enum=False, create_constraint=True, length=16)


def upgrade():
    op.create_table('sign_in_policy',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('allow_password_sign_in', sa.Boolean(), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_sign_in_policy_single_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_policy'))
    )
    op.create_table('sso_provider',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('is_enabled', sa.Boolean(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('issuer', sa.String(length=500), nullable=False),
    sa.Column('client_id', sa.String(length=255), nullable=False),
    sa.Column('client_secret_encrypted', sa.Text(), nullable=True),
    sa.Column('default_role', ROLE, nullable=False),
    sa.Column('role_claim', sa.String(length=100), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_sso_provider_single_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sso_provider'))
    )
    op.create_table('sso_role_mappings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_value', sa.String(length=200), nullable=False),
    sa.Column('role', ROLE, nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sso_role_mappings')),
    sa.UniqueConstraint('claim_value', name=op.f('uq_sso_role_mappings_claim_value'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_sso_only', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('is_break_glass', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('is_sso_only', server_default=None)
        batch_op.alter_column('is_break_glass', server_default=None)


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('is_break_glass')
        batch_op.drop_column('is_sso_only')
    op.drop_table('sso_role_mappings')
    op.drop_table('sso_provider')
    op.drop_table('sign_in_policy')
