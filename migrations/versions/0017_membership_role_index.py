"""memberships: index (branch, status, role), so a branch's officers are found directly

Revision ID: 0017_membership_role_index
Revises: 0016_feed_tokens
Create Date: 2026-12-01 17:40:00

Replaces ix_memberships_branch_status (its two columns are this index's first two, so every
query that used it uses this one). At 250,000 members the branch page's officers query
read a branch's ~4,600 approved memberships to find its officers (issue 14).
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017_membership_role_index'
down_revision = '0016_feed_tokens'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_memberships_branch_status_role', 'memberships',
                    ['branch_id', 'status', 'role'])
    op.drop_index('ix_memberships_branch_status', table_name='memberships')


def downgrade():
    op.create_index('ix_memberships_branch_status', 'memberships', ['branch_id', 'status'])
    op.drop_index('ix_memberships_branch_status_role', table_name='memberships')
