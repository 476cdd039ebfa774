"""cache generations: counters that key cached page parts

Revision ID: 0006_cache_generations
Revises: 0005_event_indexes
Create Date: 2026-11-25 15:10:00

A cached page part (directory results, a calendar) is keyed by the generation
of the data it shows; every write to that data bumps the counter in the same
transaction (jetaa/core/generations.py). Rows are created on first bump.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0006_cache_generations'
down_revision = '0005_event_indexes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'cache_generations',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('value', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_cache_generations')),
    )


def downgrade():
    op.drop_table('cache_generations')
