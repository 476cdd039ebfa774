"""Outreach factories: requests of the world's mission, offers on them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from jetaa.db import utcnow
from jetaa.events.times import to_local
from jetaa.outreach.models import OfferStatus, RequestKind, RequestStatus, VolunteerOffer
from jetaa.outreach.services import RequestData, RoleData, create_request

ZONE = "America/New_York"


def request_data(branch_ids: list[int], *, kind: RequestKind = RequestKind.INFORMATION_SESSION,
                 days: int = 10, places: int = 2, **fields: object) -> RequestData:
    start = to_local(utcnow() + timedelta(days=days), ZONE).replace(tzinfo=None, second=0,
                                                                     microsecond=0)
    values = {"kind": kind, "title": "Info session at NYU", "timezone": ZONE,
              "starts_local": start, "ends_local": start + timedelta(hours=3),
              "respond_by_local": start - timedelta(days=3),
              "roles": [RoleData("Panelist", places)], "branch_ids": branch_ids,
              "city": "New York", "country": "US", "venue": "NYU"}
    values.update(fields)
    return RequestData(**values)


@pytest.fixture
def make_request(world, db) -> Callable[..., object]:  # noqa: ANN001
    def make(*, status: str = "open", **fields: object):  # noqa: ANN202
        data = request_data([world.branch.id], **fields)
        req = create_request(world.mission, data, actor=world.users["mission"])
        req.status = RequestStatus(status)
        db.commit()
        return req

    return make


@pytest.fixture
def make_offer(db) -> Callable[..., VolunteerOffer]:  # noqa: ANN001
    def make(req, user, *, status: str = "offered", branch=None, role=None,  # noqa: ANN001
             **fields: object) -> VolunteerOffer:
        role = role or req.roles[0]
        offer = VolunteerOffer(request_id=req.id, role_id=role.id, user_id=user.id,
                               branch_id=(branch or req.branches[0]).id,
                               status=OfferStatus(status), **fields)
        db.add(offer)
        db.commit()
        return offer

    return make


def edit_data(req, **fields: object) -> RequestData:  # noqa: ANN001
    """request_data() for editing `req`: its roles keep their ids unless `roles` is given."""
    fields.setdefault("roles", [RoleData(r.name, r.places, id=r.id) for r in req.roles])
    return request_data(fields.pop("branch_ids", sorted(req.branch_ids)), **fields)
