"""Who may hold an API token, and what a token allows.

A token acts as its member, with exactly the member's permissions: every endpoint asks
the same questions as the web pages (`<feature>/permissions.py`). The only rules here
are about tokens themselves.
"""

from __future__ import annotations

from typing import Any

from flask import g

from jetaa.api.models import ApiToken, Scope
from jetaa.permissions import signed_in
from jetaa.security import policy, second_factor


def can_create_token(user: Any) -> bool:
    """Any account; those who must sign in with a second factor (admins, officers, mission
    staff) only once they have set it up, as a token reads what their sessions read."""
    if not signed_in(user):
        return False
    return not policy.required_for(user) or second_factor.is_enabled(user)


def can_manage_token(user: Any, token: ApiToken) -> bool:
    """A member sees and revokes their own tokens only."""
    return signed_in(user) and token.user_id == user.id


def current_token() -> ApiToken | None:
    """The token of this API request, if it came with one (jetaa/api/auth.py)."""
    return g.get("api_token")


def token_allows(token: ApiToken | None, scope: Scope) -> bool:
    """A write scope reads and writes; a read scope only reads."""
    return token is not None and (token.scope == Scope.WRITE or scope == Scope.READ)
