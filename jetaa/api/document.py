"""How an endpoint documents its answers in the OpenAPI document (one error schema for all)."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from jetaa.api import schemas

TOKEN = [{"token": []}]  # a request without a token answers 401
TOKEN_OR_NONE = [{}, {"token": []}]  # anyone may ask; a token may show more
DESCRIPTIONS = {404: "no such object", 422: "invalid parameters", 429: "rate limit"}


def errors(bp: Blueprint, *codes: int, security: list[dict] | None = None) -> Any:
    """Document the error answers of an endpoint of `bp` and, if given, who may call it."""

    def decorate(view: Any) -> Any:
        for code in codes:
            view = bp.alt_response(code, schema=schemas.ApiError,
                                   description=DESCRIPTIONS.get(code))(view)
        return bp.doc(security=security)(view) if security is not None else view

    return decorate
