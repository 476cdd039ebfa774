"""The API's rate limit, with RateLimit-Limit/-Remaining/-Reset on every answer and
Retry-After on a 429.

Counted in the rate limiter's storage (Redis when REDIS_URL is set) per token, per
signed-in member, or per address for the public endpoints. The per-account scraping
allowances of the directory (jetaa/security/scraping.py) apply on top.
"""

from __future__ import annotations

import logging
import math
import time

from flask import abort, current_app, g, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits import parse_many
from werkzeug.wrappers import Response

from jetaa.api.auth import PREFIX
from jetaa.api.permissions import current_token
from jetaa.extensions import limiter

logger = logging.getLogger(__name__)


def _who() -> str:
    token = current_token()
    if token is not None:
        return f"token:{token.id}"
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"address:{get_remote_address()}"


def count_request() -> None:
    """One request against the allowance; 429 when it is spent."""
    config = current_app.config
    if not request.path.startswith(PREFIX) or not config.get("RATELIMIT_ENABLED"):
        return
    strategy, who = limiter.limiter, _who()
    try:
        items = parse_many(config["RATELIMIT_API"])
        allowed = [strategy.hit(item, "api-v1", who) for item in items]
        stats = [(item, strategy.get_window_stats(item, "api-v1", who)) for item in items]
    except Exception:  # the limiter's storage unreachable: serve, say so in the log
        logger.warning("API rate limit not counted: the rate-limit storage did not answer")
        return
    item, window = min(stats, key=lambda pair: (pair[1].remaining, -pair[1].reset_time))
    reset = max(0, math.ceil(window.reset_time - time.time()))
    g.api_ratelimit = (item.amount, window.remaining, reset)
    if not all(allowed):
        abort(429, description=_("Too many requests: wait %(n)d seconds.", n=reset))


def add_headers(response: Response) -> Response:
    if not request.path.startswith(PREFIX):
        return response
    state = g.get("api_ratelimit")
    if state is not None:
        amount, remaining, reset = state
        response.headers["RateLimit-Limit"] = str(amount)
        response.headers["RateLimit-Remaining"] = str(remaining)
        response.headers["RateLimit-Reset"] = str(reset)
    if response.status_code == 429:
        response.headers.setdefault("Retry-After", str(state[2] if state else 60))
    return response
