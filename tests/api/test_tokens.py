"""Personal access tokens: made by their member, stored hashed, shown once, revoked."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from jetaa.api.models import ApiToken, Scope, hash_token
from jetaa.api.tokens import MAX_TOKENS, TokenRefused, create_token, find_token, revoke_token
from jetaa.audit.models import AuditEntry
from jetaa.db import utcnow


def test_only_the_hash_is_stored_and_the_secret_is_returned_once(world, db):
    member = world.users["member"]
    made = create_token("Branch website", Scope.READ, 30, actor=member)
    db.commit()
    assert made.secret.startswith("jetaa_")
    assert len(made.secret) > 40
    row = db.scalar(sa.select(ApiToken))
    assert row.token_hash == hash_token(made.secret)
    assert made.secret not in repr(row.__dict__)
    assert row.hint == made.secret[6:12]
    assert timedelta(days=29) < row.expires_at - utcnow() <= timedelta(days=30)
    assert find_token(made.secret) == row
    entry = db.scalar(sa.select(AuditEntry).where(AuditEntry.action == "api_token.create"))
    assert entry.actor_id == member.id
    assert made.secret not in str(entry.payload)


def test_privileged_roles_need_their_second_factor_first(world, db, with_factor):
    for role in ("officer", "mission", "admin"):
        with pytest.raises(TokenRefused):
            create_token("Script", Scope.WRITE, None, actor=world.users[role])
        db.rollback()
        with_factor(world.users[role])
        create_token("Script", Scope.WRITE, None, actor=world.users[role])
        db.commit()
    create_token("Mine", Scope.READ, 7, actor=world.users["pending"])
    db.commit()
    assert db.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 4


def test_live_tokens_are_capped(world, db):
    member = world.users["member"]
    for n in range(MAX_TOKENS):
        create_token(f"t{n}", Scope.READ, None, actor=member)
    with pytest.raises(TokenRefused):
        create_token("one more", Scope.READ, None, actor=member)
    db.rollback()


def test_revoked_tokens_stop_at_once(world, client, db):
    member = world.users["member"]
    made = create_token("Script", Scope.READ, None, actor=member)
    db.commit()
    headers = {"Authorization": f"Bearer {made.secret}"}
    assert client.get("/api/v1/me", headers=headers).json["token"]["name"] == "Script"
    revoke_token(made.token, actor=member)
    db.commit()
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert "revoked" in response.json["error"]["message"]


def test_last_use_is_noted_to_the_minute(world, client, db):
    made = create_token("Script", Scope.READ, None, actor=world.users["member"])
    db.commit()
    headers = {"Authorization": f"Bearer {made.secret}"}
    client.get("/api/v1/me", headers=headers)
    first = db.scalar(sa.select(ApiToken.last_used_at))
    assert first is not None
    client.get("/api/v1/me", headers=headers)
    assert db.scalar(sa.select(ApiToken.last_used_at)) == first


def test_a_token_acts_as_its_member_with_their_permissions(world, client, bearer):
    me = client.get("/api/v1/me", headers=bearer(world.users["officer"])).json
    assert me["name"] == "Olga Officer"
    assert me["memberships"] == [{"branch": {"slug": "home", "name": "JETAA Home"},
                                  "role": "officer", "status": "approved", "primary": True}]
    assert me["token"]["scope"] == "write"
    staff = client.get("/api/v1/me", headers=bearer(world.users["mission"])).json
    assert staff["missions"][0]["slug"] == "cg-test"
    assert staff["memberships"] == []


# The settings page ----------------------------------------------------------------

def test_the_page_creates_a_token_and_shows_it_once(world, login_as, db):
    client = login_as(world.users["member"])
    page = client.post("/account/api-tokens", data={"name": "Newsletter sheet",
                                                    "scope": "write", "expires": "90"})
    assert page.status_code == 200
    row = db.scalar(sa.select(ApiToken))
    text = page.get_data(as_text=True)
    secret = text.split('id="token-secret">', 1)[1].split("<", 1)[0]
    assert hash_token(secret) == row.token_hash
    assert row.scope == Scope.WRITE
    assert row.name == "Newsletter sheet"
    again = client.get("/account/api-tokens").get_data(as_text=True)
    assert secret not in again
    assert "Newsletter sheet" in again
    assert f"jetaa_{row.hint}" in again
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).json[
        "id"] == world.users["member"].id


@pytest.mark.parametrize("data", [{"name": "", "scope": "read", "expires": "30"},
                                  {"name": "x" * 81, "scope": "read", "expires": "30"},
                                  {"name": "ok", "scope": "admin", "expires": "30"},
                                  {"name": "ok", "scope": "read", "expires": "5000"}])
def test_bad_input_shows_the_form_again(world, login_as, db, data):
    page = login_as(world.users["member"]).post("/account/api-tokens", data=data)
    assert page.status_code == 400
    assert "Please correct the marked fields." in page.get_data(as_text=True)
    assert db.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0


def test_an_officer_without_a_second_factor_is_sent_to_set_it_up(world, login_as, db):
    client = login_as(world.users["officer"])
    assert "/account/security/setup" in client.get("/account/api-tokens").get_data(as_text=True)
    response = client.post("/account/api-tokens", data={"name": "x", "scope": "read",
                                                        "expires": "30"})
    assert response.status_code == 302
    assert db.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0


def test_revoking_from_the_page(world, login_as, make_token, db):
    secret = make_token(world.users["member"])
    token = db.scalar(sa.select(ApiToken))
    other = login_as(world.users["officer"]).post(f"/account/api-tokens/{token.id}/revoke")
    assert other.status_code == 404
    assert find_token(secret).revoked_at is None
    client = login_as(world.users["member"])
    assert client.post(f"/account/api-tokens/{token.id}/revoke").status_code == 302
    db.expire_all()
    assert db.get(ApiToken, token.id).revoked_at is not None
    assert "Revoked" in client.get("/account/api-tokens").get_data(as_text=True)
