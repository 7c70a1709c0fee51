"""Create notifications and notification_preferences: the bell, its emails, each person's choices.

A person without a preference row for a kind gets the default of qa_app/notifications/services.py.
Downgrade drops both tables and every notification in them.

Revision ID: 7b3e5d1c9a20
Revises: 7d3c1e5a9b20
Create Date: 2026-12-13 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7b3e5d1c9a20'
down_revision = '7d3c1e5a9b20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('evaluation_submitted', 'dispute_opened', 'dispute_waiting', 'dispute_decided', 'plan_due', 'plan_achieved', 'calibration_opened', 'calibration_closing', 'queue_items', 'acknowledge_due', 'appeal_closing', name='notification_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('delivery', sa.Enum('app', 'email', 'digest', 'off', name='notification_delivery', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'kind', name=op.f('pk_notification_preferences'))
    )
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('evaluation_submitted', 'dispute_opened', 'dispute_waiting', 'dispute_decided', 'plan_due', 'plan_achieved', 'calibration_opened', 'calibration_closing', 'queue_items', 'acknowledge_due', 'appeal_closing', name='notification_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('email', sa.Enum('app', 'email', 'digest', 'off', name='notification_email', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('emailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_notifications_recipient_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_recipient_read', ['recipient_id', 'read_at'], unique=False)



def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_recipient_read')

    op.drop_table('notifications')
    op.drop_table('notification_preferences')
