"""Signed, expiring links. Each purpose has its own salt, so tokens don't cross over."""

from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from jetaa.security.signing import SIGNER_KWARGS


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"jetaa.{purpose}",
                                  signer_kwargs=SIGNER_KWARGS)


def make_token(purpose: str, data: dict[str, Any]) -> str:
    return _serializer(purpose).dumps(data)


def read_token(purpose: str, token: str, max_age: int) -> dict[str, Any] | None:
    """The token's data, or None when it is forged, for another purpose, or expired."""
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    return data if isinstance(data, dict) else None
