"""A member's private calendar address: made, replaced, and read back from its URL.

Only the SHA-256 hash of the token is stored, so a copy of the database (a backup, a
leaked dump) holds no working address. The token is 32 random bytes, so a fast hash is
enough, and looking a token up by its hash is safe from timing: the database compares
hashes, and how much of a hash matched says nothing about the token that gave it.
The address is therefore shown once, when it is made; a member who lost it makes a new
one, which revokes the old.
"""

from __future__ import annotations

import sqlalchemy as sa

from jetaa.auth.models import User
from jetaa.db import utcnow
from jetaa.events.models import FeedToken, hash_feed_token, new_feed_token
from jetaa.extensions import db
from jetaa.security.events import log_event

# A token is 43 characters; anything much longer is not one of ours.
MAX_TOKEN_LENGTH = 100


def private_feed_of(user: User) -> FeedToken | None:
    """The member's private feed (when it was made), without its address."""
    return db.session.get(FeedToken, user.id)


def make_private_feed(user: User) -> str:
    """A new private feed token for `user`; the old address, if any, stops working.

    Returns the token itself: it is stored only hashed, so this is the one time it is known.
    The caller commits.
    """
    token = new_feed_token()
    feed = private_feed_of(user)
    if feed is None:
        db.session.add(FeedToken(user_id=user.id, token_hash=hash_feed_token(token)))
    else:
        feed.token_hash, feed.created_at = hash_feed_token(token), utcnow()
    log_event("feed.address_made", user=user, replaced=feed is not None)
    return token


def feed_owner(token: str) -> User | None:
    """The account whose private feed `token` opens (not a deleted one), or None."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return db.session.scalar(
        sa.select(User).join(FeedToken, FeedToken.user_id == User.id)
        .where(FeedToken.token_hash == hash_feed_token(token), User.deleted_at.is_(None)))
