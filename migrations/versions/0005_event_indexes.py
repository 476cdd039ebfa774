"""event indexes: upcoming events by end then start

Revision ID: 0005_event_indexes
Revises: 0004_directory_indexes
Create Date: 2026-11-25 14:05:00

The calendar's list view shows events that have not ended yet, soonest first.
Without an index on ends_at the database walks ten years of past events in
start order to find them; (ends_at, starts_at) reads only the upcoming ones.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0005_event_indexes'
down_revision = '0004_directory_indexes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_ends_at_starts_at', ['ends_at', 'starts_at'], unique=False)


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_ends_at_starts_at')
