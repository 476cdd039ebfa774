"""The unsubscribe link: signed, without expiry (old newsletters must still work)."""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from jetaa.security.signing import SIGNER_KWARGS

# Links are signed with HMAC-SHA256. Newsletters sent before that carry HMAC-SHA1 links,
# and an unsubscribe link must keep working (RFC 8058; the law of several countries):
# those are still read. HMAC-SHA1 stays unforgeable without the key; none is made any more.
_OLD_LINKS = [{"digest_method": hashlib.sha1}]


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="jetaa.unsubscribe",
                             signer_kwargs=SIGNER_KWARGS, fallback_signers=_OLD_LINKS)


def unsubscribe_token(user_id: int, branch_id: int | None, *,
                      serializer: URLSafeSerializer | None = None) -> str:
    """For `user_id`, from `branch_id`'s announcements (None: from all announcements).
    A bulk send passes one `serializer` (unsubscribe_serializer) for all its tokens."""
    return (serializer or _serializer()).dumps([user_id, branch_id or 0])


def unsubscribe_serializer() -> URLSafeSerializer:
    return _serializer()


def read_unsubscribe_token(token: str) -> tuple[int, int | None] | None:
    """(user id, branch id or None), or None for a forged or mangled token."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if (not isinstance(data, list) or len(data) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in data)):
        return None
    return data[0], data[1] or None
