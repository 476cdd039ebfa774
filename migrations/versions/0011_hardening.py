"""hardening: login sessions, the outbox's retry window, roster invitations

Revision ID: 0011_hardening
Revises: 0010_activity_figures
Create Date: 2026-12-01 12:20:00

login_sessions: one row per signed-in browser; logging out deletes it, so a copied
cookie stops working. outbox_messages.retry_until: transient failures are retried
until then (MAIL_RETRY_DAYS after the first). roster_invitations: who an import
invited, shown on the roster as invited until they join, whatever accounts exist.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011_hardening'
down_revision = '0010_activity_figures'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'login_sessions',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_login_sessions_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_login_sessions')),
    )
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_sessions_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retry_until', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'roster_invitations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('branch_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('invited_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('invited_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['branch_id'], ['branches.id'],
                                name=op.f('fk_roster_invitations_branch_id_branches'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'],
                                name=op.f('fk_roster_invitations_invited_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_roster_invitations_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_roster_invitations')),
        sa.UniqueConstraint('branch_id', 'user_id',
                            name=op.f('uq_roster_invitations_branch_id')),
    )
    with op.batch_alter_table('roster_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roster_invitations_branch_id'), ['branch_id'],
                              unique=False)


def downgrade():
    op.drop_table('roster_invitations')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('retry_until')
    op.drop_table('login_sessions')
