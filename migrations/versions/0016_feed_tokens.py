"""feed tokens: private calendar addresses stored only as SHA-256 hashes

Revision ID: 0016_feed_tokens
Revises: 0015_drop_cache_generations
Create Date: 2026-12-01 17:20:00

event_feed_tokens.token (the secret itself) becomes token_hash. Existing tokens are hashed
here rather than dropped: each is 24 random bytes, as hard to guess as a new one, and a
member's calendar app keeps polling the address it was given; dropping them would make
every subscribed calendar go quiet without telling anyone. The addresses keep working and
can no longer be read from the database (nor shown again: a member who lost theirs makes
a new one). Downgrading cannot bring the tokens back, so it deletes the rows.
"""
import hashlib

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016_feed_tokens'
down_revision = '0015_drop_cache_generations'
branch_labels = None
depends_on = None

feeds = sa.table('event_feed_tokens', sa.column('user_id', sa.Integer),
                 sa.column('token', sa.String), sa.column('token_hash', sa.String))


def upgrade():
    with op.batch_alter_table('event_feed_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_hash', sa.String(length=64), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(sa.select(feeds.c.user_id, feeds.c.token)).all()
    for user_id, token in rows:
        bind.execute(feeds.update().where(feeds.c.user_id == user_id).values(
            token_hash=hashlib.sha256(token.encode()).hexdigest()))
    with op.batch_alter_table('event_feed_tokens', schema=None) as batch_op:
        batch_op.alter_column('token_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_constraint('uq_event_feed_tokens_token', type_='unique')
        batch_op.drop_column('token')
        batch_op.create_unique_constraint(batch_op.f('uq_event_feed_tokens_token_hash'),
                                          ['token_hash'])


def downgrade():
    op.execute(feeds.delete())
    with op.batch_alter_table('event_feed_tokens', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_event_feed_tokens_token_hash'), type_='unique')
        batch_op.drop_column('token_hash')
        batch_op.add_column(sa.Column('token', sa.String(length=64), nullable=False))
        batch_op.create_unique_constraint(batch_op.f('uq_event_feed_tokens_token'), ['token'])
