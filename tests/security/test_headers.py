"""Safe defaults: no-store on personal responses, CSP, HSTS, __Host- cookies, SHA-256."""

import hashlib

import pytest
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature, URLSafeTimedSerializer

from jetaa.auth.tokens import make_token
from jetaa.events.feed_tokens import make_private_feed
from tests.conftest import PASSWORD


@pytest.mark.parametrize("url", ["/account", "/directory", "/api/v1/directory",
                                 "/api/v1/members/{member}", "/members/{member}",
                                 "/account/export.json", "/branches/home/roster.csv",
                                 "/account/security", "/my/events", "/", "/branches",
                                 "/events/subscribe", "/no-such-page"])
@pytest.mark.parametrize("role", ["member", "officer", "mission", "admin"])
def test_personal_responses_are_not_stored(world, login_as, url, role):
    """Every response to someone signed in, the API and errors included."""
    response = login_as(world.users[role]).get(url.format(member=world.users["member"].id))
    assert response.status_code in (200, 403, 404)
    assert response.headers["Cache-Control"] == "no-store"


def test_public_pages_for_visitors_may_be_cached(world, client):
    response = client.get("/branches")
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_a_members_own_calendar_feed_is_private(world, client, db):
    token = make_private_feed(world.users["member"])
    db.commit()
    response = client.get(f"/events/feed/{token}.ics")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, max-age=300"


def test_the_content_security_policy_forbids_plugins_and_base_changes(client):
    policy = client.get("/login").headers["Content-Security-Policy"]
    assert "object-src 'none'" in policy
    assert "base-uri 'none'" in policy


def test_production_sends_hsts_and_host_prefixed_cookies(make_app, make_user):
    app = make_app(HSTS_SECONDS=31536000, SESSION_COOKIE_NAME="__Host-session",
                   REMEMBER_COOKIE_NAME="__Host-remember", SESSION_COOKIE_SECURE=True,
                   REMEMBER_COOKIE_SECURE=True, PREFERRED_URL_SCHEME="https")
    user = make_user()
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "remember": "y"}, base_url="https://jetaa.test")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    cookies = response.headers.getlist("Set-Cookie")
    assert any(c.startswith("__Host-session=") and "Secure" in c and "Path=/" in c
               and "Domain" not in c for c in cookies)
    assert any(c.startswith("__Host-remember=") for c in cookies)


def test_production_settings_ask_for_them(monkeypatch):
    from config import ProductionConfig

    monkeypatch.setenv("SECRET_KEY", "s3cret")
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("PUBLIC_URL", "https://connect.jetaa.example")
    config = ProductionConfig()
    assert config.SESSION_COOKIE_NAME.startswith("__Host-")
    assert config.REMEMBER_COOKIE_NAME.startswith("__Host-")
    assert config.HSTS_SECONDS >= 31536000


def test_the_session_cookie_is_signed_with_hmac_sha256(app, client, make_user):
    assert app.session_interface.digest_method is hashlib.sha256
    sha1 = SecureCookieSessionInterface().get_signing_serializer(app)
    forged = sha1.dumps({"_user_id": "1:x:y"})
    client.set_cookie("session", forged)
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_tokens_are_signed_with_hmac_sha256(app):
    with app.test_request_context():
        token = make_token("confirm", {"uid": 1})
    key = app.config["SECRET_KEY"]
    sha1 = URLSafeTimedSerializer(key, salt="jetaa.confirm")
    with pytest.raises(BadSignature):
        sha1.loads(token)
    sha256 = URLSafeTimedSerializer(key, salt="jetaa.confirm",
                                    signer_kwargs={"digest_method": hashlib.sha256})
    assert sha256.loads(token) == {"uid": 1}
