"""Tokens for the API tests, and the events the tables ask about."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from jetaa.api.models import ApiToken, Scope, hash_token, new_token
from jetaa.events.feed_tokens import make_private_feed
from tests.auth.conftest import make_app  # noqa: F401  (a second app, other settings)
from tests.events.conftest import make_event  # noqa: F401  (a fixture)
from tests.outreach.conftest import make_offer, make_request  # noqa: F401  (fixtures)
from tests.security.conftest import with_factor  # noqa: F401  (a fixture)


@pytest.fixture
def make_token(db) -> Callable[..., str]:  # noqa: ANN001
    """A token of `user` (made directly: the second-factor rule is the service's, tested
    on its own), returned as its secret."""

    def make(user, scope: str = "write", *, expires_at: datetime | None = None,  # noqa: ANN001
             revoked_at: datetime | None = None, name: str = "test") -> str:
        secret = new_token()
        db.add(ApiToken(user_id=user.id, name=name, scope=Scope(scope),
                        token_hash=hash_token(secret), hint=secret[6:12],
                        expires_at=expires_at, revoked_at=revoked_at))
        db.commit()
        return secret

    return make


@pytest.fixture
def bearer(make_token) -> Callable[..., dict[str, str]]:  # noqa: ANN001
    """The Authorization header of a new token of `user` (no header for None)."""

    def headers(user, scope: str = "write", **fields: object) -> dict[str, str]:  # noqa: ANN001
        if user is None:
            return {}
        return {"Authorization": f"Bearer {make_token(user, scope, **fields)}"}

    return headers


@pytest.fixture
def events(world, make_event, db):  # noqa: ANN001, ANN201, F811
    pub = make_event(world.branch, title="Public picnic", capacity=10)
    members = make_event(world.branch, title="Members mixer", audience="branch")
    draft = make_event(world.branch, title="Draft dinner", status="draft")
    fed = make_event(world.branch, title="Federation forum", audience="federation")
    make_private_feed(world.users["member"])
    db.commit()
    return {"pub": pub.id, "members": members.id, "draft": draft.id, "fed": fed.id,
            "member": world.users["member"].id}


@pytest.fixture
def outreach(world, make_request, make_offer):  # noqa: ANN001, ANN201, F811
    """An open request of the mission asking the home branch, and the member's offer."""
    req = make_request()
    offer = make_offer(req, world.users["member"])
    return {"req": req.id, "offer": offer.id, "role": req.roles[0].id}


@pytest.fixture
def activities(world, db):  # noqa: ANN001, ANN201
    """Activities of the home branch written by its member: a draft and one submitted."""
    from datetime import date

    from jetaa.activities.models import Activity, ActivityStatus

    made = {}
    for name, status in (("draft", ActivityStatus.DRAFT), ("sub", ActivityStatus.SUBMITTED)):
        activity = Activity(branch_id=world.branch.id, title=f"Talk ({name})", category="schools",
                            status=status, starts_on=date(2025, 5, 1), ends_on=date(2025, 5, 1),
                            created_by_id=world.users["member"].id)
        db.add(activity)
        db.flush()
        made[name] = activity.id
    db.commit()
    return made
