"""memberships: index (user_id, status), for the count of members and "is an approved member"

Revision ID: 0020_membership_user_status
Revises: 0019_api_tokens
Create Date: 2026-12-01 20:50:00

The federation's member count (people with an approved membership: the admin figures, the
home page, the directory's estimate) counted distinct user ids through a temporary B-tree
over every membership row (SQLite, 25,000 members: 11 ms); this index holds both columns in
user order (3.6 ms). The directory's "has an approved membership" test on each candidate is
answered from it too, without reading the membership row. (status, user_id) would serve the
count as well, but SQLite then chose it for the branch list's per-branch counts, which lost
the branch order of ix_memberships_branch_status_role (3 ms to 10 ms).
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0020_membership_user_status'
down_revision = '0019_api_tokens'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_memberships_user_status', 'memberships', ['user_id', 'status'])


def downgrade():
    op.drop_index('ix_memberships_user_status', table_name='memberships')
