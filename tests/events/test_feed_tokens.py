"""Private calendar addresses: stored only hashed, shown once, replaced, migrated."""

from __future__ import annotations

import hashlib
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from jetaa.events.feed_tokens import feed_owner, make_private_feed
from jetaa.events.models import FeedToken
from jetaa.extensions import db as _db
from jetaa.security.models import SecurityEvent
from tests.events.conftest import shown_feed_address

MIGRATIONS = str(Path(__file__).resolve().parents[2] / "migrations")


def test_the_address_is_shown_once_and_only_its_hash_is_stored(world, login_as, db):
    member = world.users["member"]
    client = login_as(member)
    made = client.post("/events/subscribe/private", data={"next": "/events/subscribe"})
    assert made.headers["Cache-Control"] == "no-store"
    path = shown_feed_address(made)
    token = path.removeprefix("/events/feed/").removesuffix(".ics")
    assert len(token) >= 43  # 32 random bytes
    row = db.scalar(sa.select(FeedToken).where(FeedToken.user_id == member.id))
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = db.execute(sa.text("SELECT * FROM event_feed_tokens")).one()
    assert token not in [str(value) for value in stored]
    for page in ("/events/subscribe", "/my/events"):
        body = client.get(page).get_data(as_text=True)
        assert token not in body
        assert "Make a new address" in body
    assert login_as(None).get(path).status_code == 200
    [event] = db.scalars(sa.select(SecurityEvent).where(SecurityEvent.kind == "feed.address_made"))
    assert (event.user_id, event.detail) == (member.id, {"replaced": "False"})


def test_a_new_address_revokes_the_old_and_says_so(world, login_as, db):
    client = login_as(world.users["member"])
    first = shown_feed_address(client.post("/events/subscribe/private"))
    again = client.post("/events/subscribe/private", data={"next": "https://evil.example/"})
    second = shown_feed_address(again)
    assert "the old one no longer works" in again.get_data(as_text=True)
    assert 'href="/events/subscribe"' in again.get_data(as_text=True)  # not the other site
    assert login_as(None).get(first).status_code == 404
    assert login_as(None).get(second).status_code == 200
    assert db.scalar(sa.select(sa.func.count()).select_from(FeedToken)) == 1


def test_unknown_mangled_or_huge_tokens_find_nobody(world, client, db):
    token = make_private_feed(world.users["member"])
    db.commit()
    assert feed_owner(token).id == world.users["member"].id
    for wrong in ("", token[:-1], token.upper(), token + "x", "x" * 5000,
                  hashlib.sha256(token.encode()).hexdigest()):
        assert feed_owner(wrong) is None
    assert client.get(f"/events/feed/{'x' * 5000}.ics").status_code == 404
    # The stored hash itself is no key either (a leaked table opens nothing).
    stored = db.scalar(sa.select(FeedToken.token_hash))
    assert client.get(f"/events/feed/{stored}.ics").status_code == 404


def test_a_deleted_account_has_no_feed(world, client, db):
    from jetaa.db import utcnow

    member = world.users["member"]
    token = make_private_feed(member)
    member.deleted_at = utcnow()
    db.commit()
    assert client.get(f"/events/feed/{token}.ics").status_code == 404


def test_the_migration_hashes_existing_tokens_so_old_addresses_keep_working(app, world, client):
    """0016_feed_tokens: a token stored in the clear before it is hashed in place."""
    member_id = world.users["member"].id
    _db.session.commit()
    _db.session.remove()
    old = "an-old-token-made-before-0015-abcdefghij"
    downgrade(directory=MIGRATIONS, revision="0015_drop_cache_generations")
    try:
        with _db.engine.begin() as connection:
            columns = {c["name"] for c in sa.inspect(connection).get_columns("event_feed_tokens")}
            assert "token" in columns
            assert "token_hash" not in columns
            connection.execute(sa.text(
                "INSERT INTO event_feed_tokens (user_id, token, created_at) "
                "VALUES (:user, :token, CURRENT_TIMESTAMP)"), {"user": member_id, "token": old})
    finally:
        upgrade(directory=MIGRATIONS, revision="heads")
    with _db.engine.connect() as connection:
        columns = {c["name"] for c in sa.inspect(connection).get_columns("event_feed_tokens")}
        assert "token" not in columns
        stored = connection.execute(sa.text("SELECT user_id, token_hash FROM event_feed_tokens")
                                    ).one()
    assert tuple(stored) == (member_id, hashlib.sha256(old.encode()).hexdigest())
    assert client.get(f"/events/feed/{old}.ics").status_code == 200
