"""HMAC-SHA256 for what the app signs: the session cookie and itsdangerous tokens."""

import hashlib

from flask.sessions import SecureCookieSessionInterface


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, signed with HMAC-SHA256 instead of SHA-1."""

    digest_method = staticmethod(hashlib.sha256)


SIGNER_KWARGS = {"digest_method": hashlib.sha256}
