"""Every token the site signs uses HMAC-SHA256 (ASVS 11.4.1): the signature of each kind is
decoded and is 32 bytes (HMAC-SHA1's is 20); one signed with SHA-1 is refused."""

from __future__ import annotations

import hashlib
import re

import pytest
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadSignature, URLSafeSerializer, URLSafeTimedSerializer
from itsdangerous.encoding import base64_decode

from jetaa.announcements.tokens import read_unsubscribe_token, unsubscribe_token
from jetaa.auth.tokens import make_token
from jetaa.security.signing import SIGNER_KWARGS
from tests.conftest import PASSWORD

SHA256 = 32  # bytes in an HMAC-SHA256 signature


def _signature_bytes(token: str) -> int:
    """itsdangerous puts the signature, base64url, after the last dot."""
    return len(base64_decode(token.rsplit(".", 1)[1]))


def _csrf_from(html: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def test_the_session_cookie_signature_is_sha256(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    value = cookie.split(";", 1)[0].split("=", 1)[1]
    assert _signature_bytes(value) == SHA256


def test_the_csrf_token_is_signed_with_sha256(app, client):
    client.get("/login")
    with client.session_transaction() as session:
        raw = session["csrf_token"]
    with app.test_request_context():
        from flask import session as request_session

        request_session["csrf_token"] = raw
        token = generate_csrf()
    assert _signature_bytes(token) == SHA256
    key = app.config["SECRET_KEY"]
    ours = URLSafeTimedSerializer(key, salt="wtf-csrf-token", signer_kwargs=SIGNER_KWARGS)
    assert ours.loads(token) == raw
    with pytest.raises(BadSignature):
        URLSafeTimedSerializer(key, salt="wtf-csrf-token").loads(token)


def test_forms_accept_the_sha256_token_and_refuse_a_sha1_one(app, client, make_user, db,
                                                              monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    user = make_user()
    page = client.get("/login").get_data(as_text=True)
    token = _csrf_from(page)
    assert _signature_bytes(token) == SHA256
    with client.session_transaction() as session:
        raw = session["csrf_token"]
    sha1 = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="wtf-csrf-token").dumps(raw)
    refused = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                          "csrf_token": sha1})
    assert refused.status_code == 400
    with client.session_transaction() as session:
        assert "_user_id" not in session
    accepted = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "csrf_token": token})
    assert accepted.status_code == 302
    with client.session_transaction() as session:
        assert session["_user_id"]


def test_confirmation_links_are_signed_with_sha256(app):
    with app.test_request_context():
        token = make_token("confirm", {"uid": 1})
    assert _signature_bytes(token) == SHA256


def test_unsubscribe_links_are_signed_with_sha256_and_old_ones_still_work(app):
    key = app.config["SECRET_KEY"]
    with app.test_request_context():
        token = unsubscribe_token(7, 3)
        assert _signature_bytes(token) == SHA256
        assert read_unsubscribe_token(token) == (7, 3)
        # A newsletter sent before the switch: its HMAC-SHA1 link still unsubscribes.
        old = URLSafeSerializer(key, salt="jetaa.unsubscribe").dumps([7, 0])
        assert _signature_bytes(old) == 20
        assert read_unsubscribe_token(old) == (7, None)
        forged = URLSafeSerializer("not-our-key", salt="jetaa.unsubscribe",
                                   signer_kwargs={"digest_method": hashlib.sha256}).dumps([7, 0])
        assert read_unsubscribe_token(forged) is None


def test_the_remember_me_cookie_is_hmac_sha512(client, make_user):
    """Flask-Login signs it itself, with HMAC-SHA512 (128 hex digits)."""
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "remember": "y"})
    cookie = next(c for c in response.headers.getlist("Set-Cookie")
                  if c.startswith("remember_token="))
    digest = cookie.split(";", 1)[0].split("=", 1)[1].rsplit("|", 1)[1]
    assert re.fullmatch(r"[0-9a-f]{128}", digest)
