"""announcements, notification settings, pictures, disabled accounts

Revision ID: 0013_announcements
Revises: 0011_hardening
Create Date: 2026-12-01 14:08:29

announcements and announcement_deliveries (one row per recipient: never twice);
notification_settings, notification_branch_optouts, notification_topics;
users.disabled_at and users.photo_name, events.image_name, branches.logo_name;
outbox_messages.list_unsubscribe (RFC 8058 headers) and an index by address and status.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013_announcements'
down_revision = '0011_hardening'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification_settings',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('event_mail', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('recruitment_mail', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('announcement_mail', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('weekly_digest', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_settings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_notification_settings'))
    )
    op.create_table('notification_topics',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_topics_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'topic', name=op.f('pk_notification_topics'))
    )
    with op.batch_alter_table('notification_topics', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_topics_topic'), ['topic'], unique=False)

    op.create_table('announcements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('image_name', sa.String(length=64), nullable=True),
    sa.Column('scope', sa.Enum('branch', 'segment', 'federation', name='announcement_scope', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('segment', sa.JSON(), nullable=False),
    sa.Column('is_public', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'scheduled', 'sending', 'sent', 'cancelled', name='announcement_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('send_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('recipient_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_announcements_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_announcements_branch_id_branches'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_announcements'))
    )
    with op.batch_alter_table('announcements', schema=None) as batch_op:
        batch_op.create_index('ix_announcements_branch_created', ['branch_id', 'created_at'], unique=False)
        batch_op.create_index('ix_announcements_status_send_at', ['status', 'send_at'], unique=False)

    op.create_table('notification_branch_optouts',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_notification_branch_optouts_branch_id_branches'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_branch_optouts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'branch_id', name=op.f('pk_notification_branch_optouts'))
    )
    op.create_table('announcement_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('announcement_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('outbox_message_id', sa.Integer(), nullable=True),
    sa.Column('in_digest', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('digested_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['announcement_id'], ['announcements.id'], name=op.f('fk_announcement_deliveries_announcement_id_announcements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outbox_message_id'], ['outbox_messages.id'], name=op.f('fk_announcement_deliveries_outbox_message_id_outbox_messages'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_announcement_deliveries_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_announcement_deliveries')),
    sa.UniqueConstraint('announcement_id', 'user_id', name='uq_announcement_deliveries_announcement_user')
    )
    with op.batch_alter_table('announcement_deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_announcement_deliveries_digest', ['user_id', 'digested_at'], unique=False)

    with op.batch_alter_table('branches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('logo_name', sa.String(length=64), nullable=True))

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('image_name', sa.String(length=64), nullable=True))

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('list_unsubscribe', sa.String(length=500), nullable=True))
        batch_op.create_index('ix_outbox_messages_to_status', ['to_address', 'status'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('disabled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('photo_name', sa.String(length=64), nullable=True))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('photo_name')
        batch_op.drop_column('disabled_at')

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_messages_to_status')
        batch_op.drop_column('list_unsubscribe')

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('image_name')

    with op.batch_alter_table('branches', schema=None) as batch_op:
        batch_op.drop_column('logo_name')

    with op.batch_alter_table('announcement_deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_announcement_deliveries_digest')

    op.drop_table('announcement_deliveries')
    op.drop_table('notification_branch_optouts')
    with op.batch_alter_table('announcements', schema=None) as batch_op:
        batch_op.drop_index('ix_announcements_status_send_at')
        batch_op.drop_index('ix_announcements_branch_created')

    op.drop_table('announcements')
    with op.batch_alter_table('notification_topics', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_topics_topic'))

    op.drop_table('notification_topics')
    op.drop_table('notification_settings')
