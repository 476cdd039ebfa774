"""HMAC-SHA256 for everything the app signs: the session cookie, the CSRF token and the
itsdangerous links (confirmation, unsubscribe). itsdangerous, Flask and Flask-WTF default
to HMAC-SHA1; each is switched here, in one place.

(Flask-Login's remember-me cookie is its own HMAC-SHA512; reset, e-mail-change and
calendar-feed links are random values stored hashed, nothing signed.)
"""

from __future__ import annotations

import hashlib

import flask_wtf.csrf
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import TimestampSigner, URLSafeTimedSerializer


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, signed with HMAC-SHA256 instead of SHA-1."""

    digest_method = staticmethod(hashlib.sha256)


SIGNER_KWARGS = {"digest_method": hashlib.sha256}


class _TimestampSigner(TimestampSigner):
    default_digest_method = staticmethod(hashlib.sha256)


class CsrfSerializer(URLSafeTimedSerializer):
    """Flask-WTF's CSRF serializer with an HMAC-SHA256 signer."""

    default_signer = _TimestampSigner


def sign_csrf_tokens_with_sha256() -> None:
    """Flask-WTF builds `URLSafeTimedSerializer(secret, salt="wtf-csrf-token")` inside
    `generate_csrf` and `validate_csrf` and offers no setting for the digest. Both look the
    class up in their module when called, so naming ours there switches every path at once
    (forms, `CSRFProtect`, the templates' `csrf_token()`) and keeps the rest of Flask-WTF as
    it is. tests/security/test_signing.py fails if a Flask-WTF release stops doing so."""
    flask_wtf.csrf.URLSafeTimedSerializer = CsrfSerializer
