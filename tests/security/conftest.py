"""Second-factor fixtures: an account with an authenticator, codes as its app shows them."""

from __future__ import annotations

import time
from collections.abc import Callable

import pyotp
import pytest

from jetaa.auth.models import User
from jetaa.security import second_factor


def code_for(secret: str, steps_ahead: int = 0) -> str:
    """The code the app shows now (or `steps_ahead` 30-second steps later: each step is
    accepted once, and the next one is accepted too, for a slow clock)."""
    return pyotp.TOTP(secret).at(int(time.time()) + 30 * steps_ahead)


@pytest.fixture
def with_factor(db) -> Callable[[User], tuple[str, list[str]]]:  # noqa: ANN001
    """Turn the second factor on for `user`: (its secret, its recovery codes)."""

    def enable(user: User) -> tuple[str, list[str]]:
        factor = second_factor.begin_setup(user)
        codes = second_factor.confirm_setup(user, code_for(factor.secret))
        db.commit()
        return factor.secret, codes

    return enable


@pytest.fixture
def login_without_factor(client):  # noqa: ANN001, ANN201
    """Sign the test client in as `user` with a session where no second factor was given."""
    from tests.conftest import signed_in_id

    def login(user: User):  # noqa: ANN202
        user_id = signed_in_id(user, second_factor=False)
        with client.session_transaction() as session:
            session.clear()
            session["_user_id"] = user_id
        return client

    return login


from tests.auth.conftest import make_app  # noqa: E402, F401  (a second app, other settings)
from tests.events.conftest import make_event  # noqa: E402, F401  (events to export)
