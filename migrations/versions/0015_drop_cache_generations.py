"""drop the cache generations: no cached part is keyed by a counter any more

Revision ID: 0015_drop_cache_generations
Revises: 0014_accounts
Create Date: 2026-12-01 17:30:00

Issue 14's smaller caching design keeps only parts that are the same for every viewer
(jetaa/core/cache.py), each kept for a minute or keyed by its own row's update time, so
the per-write counters of 0006 and the per-viewer page caches they keyed are gone.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015_drop_cache_generations'
down_revision = '0014_accounts'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_table('cache_generations')


def downgrade():
    op.create_table(
        'cache_generations',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('value', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_cache_generations')),
    )
