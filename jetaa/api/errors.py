"""One shape for every error under /api/: {"error": {"code", "message", "fields"}}.

jetaa/core/errors.py hands every error of an /api/ address here, so routing errors
(404, 405), refusals raised by the permission questions (401, 403), validation (400,
422 with the fields), rate limits (429) and even unexpected failures answer JSON.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 406: "not_acceptable", 409: "conflict", 410: "gone",
    412: "precondition_failed", 413: "too_large", 415: "unsupported_media_type",
    422: "invalid", 428: "precondition_required", 429: "too_many_requests",
    500: "server_error", 503: "unavailable",
}


def json_error(status: int, message: str, fields: dict[str, Any] | None = None,
               headers: dict[str, str] | None = None) -> tuple[Response, int]:
    response = jsonify(error={"code": CODES.get(status, "error"), "message": message,
                              "fields": fields or {}})
    for name, value in (headers or {}).items():
        response.headers[name] = value
    if status == 401:
        response.headers.setdefault("WWW-Authenticate", 'Bearer realm="jetaa"')
    return response, status


def fields_of(error: HTTPException) -> dict[str, Any]:
    """The invalid fields of a webargs/marshmallow refusal, by field name.

    flask-smorest gives them by location ({"query": {"page": [...]}}); a client wants
    {"page": [...]}. A JSON body that is not an object gives {"_schema": [...]}.
    """
    data = getattr(error, "data", None) or {}
    messages = data.get("messages") if isinstance(data, dict) else None
    if not isinstance(messages, dict):
        return {}
    fields: dict[str, Any] = {}
    for location, errors in messages.items():
        if isinstance(errors, dict):
            fields.update({str(k): v for k, v in errors.items()})
        else:
            fields[str(location)] = errors
    return fields


def passed_headers(error: HTTPException) -> dict[str, str]:
    """Headers the error carries that a client needs (Allow on a 405, Retry-After)."""
    keep = {"allow", "retry-after"}
    headers = {name: value for name, value in error.get_headers() if name.lower() in keep}
    data = getattr(error, "data", None)
    if isinstance(data, dict) and isinstance(data.get("headers"), dict):
        headers.update({k: v for k, v in data["headers"].items() if k.lower() in keep})
    return headers
