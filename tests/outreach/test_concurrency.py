"""Two staff confirming the last place at the same moment: only one succeeds.

Each thread has its own app context, session and connection, on SQLite and (with
TEST_DATABASE_URL) on PostgreSQL, as the RSVP race test.
"""

from __future__ import annotations

from collections import Counter

import pytest
import sqlalchemy as sa

from jetaa.auth.models import User
from jetaa.extensions import db as _db
from jetaa.outreach import offers
from jetaa.outreach.models import OfferStatus, OutreachError, RequestRole, VolunteerOffer
from tests.conftest import signed_in_id
from tests.events.test_concurrency import _race

THREADS = 8


@pytest.mark.parametrize("places", [1, 2])
def test_concurrent_confirmations_never_overfill(app, world, db, make_request, make_user,
                                                 make_membership, make_offer, places):
    req = make_request(places=places)
    offer_ids, staff_ids = [], []
    for i in range(THREADS):
        user = make_user(f"Volunteer {i}")
        make_membership(user, world.branch)
        offer_ids.append(make_offer(req, user).id)
        staff_ids.append(world.users["mission" if i % 2 else "admin"].id)
    refused: list[int] = []

    def confirm(i: int) -> None:
        offer = _db.session.get(VolunteerOffer, offer_ids[i])
        try:
            offers.confirm(offer, actor=_db.session.get(User, staff_ids[i]))
            _db.session.commit()
        except OutreachError:
            _db.session.rollback()
            refused.append(i)

    assert _race(app, confirm, THREADS) == []
    db.expire_all()
    statuses = Counter(db.scalars(sa.select(VolunteerOffer.status)
                                  .where(VolunteerOffer.request_id == req.id)))
    assert statuses == {OfferStatus.CONFIRMED: places, OfferStatus.OFFERED: THREADS - places}
    assert len(refused) == THREADS - places
    assert db.get(RequestRole, req.roles[0].id).confirmed == places


def test_a_double_clicked_confirmation_confirms_once(app, world, db, make_request, make_offer):
    req = make_request(places=3)
    offer_id = make_offer(req, world.users["member"]).id

    def confirm(_i: int) -> None:
        try:
            offers.confirm(_db.session.get(VolunteerOffer, offer_id),
                           actor=_db.session.get(User, world.users["mission"].id))
            _db.session.commit()
        except OutreachError:
            _db.session.rollback()

    assert _race(app, confirm, 4) == []
    db.expire_all()
    assert db.get(RequestRole, req.roles[0].id).confirmed == 1


def test_two_staff_saving_the_first_outcome_make_one_activity(app, world, db, make_request,
                                                              make_offer):
    from jetaa.activities.models import Activity
    from jetaa.outreach.models import VolunteerRequest
    from jetaa.outreach.services import Attendance, record_outcome

    req = make_request(days=-2)
    offer_id = make_offer(req, world.users["member"], status="confirmed").id
    staff = [world.users["mission"].id, world.users["admin"].id]

    def save(i: int) -> None:
        record_outcome(_db.session.get(VolunteerRequest, req.id),
                       {offer_id: Attendance(True, 20)}, people_reached=40 + i,
                       questions_asked=None, applications_named=None, notes="",
                       actor=_db.session.get(User, staff[i]))
        _db.session.commit()

    assert _race(app, save, 2) == []
    db.expire_all()
    assert db.scalar(sa.select(sa.func.count(Activity.id))) == 1
    assert db.get(VolunteerRequest, req.id).activity_id is not None


def test_a_double_clicked_offer_is_one_offer(app, world, db, make_request):
    req = make_request()
    role_id = req.roles[0].id
    statuses: list[int] = []
    member_id = signed_in_id(world.users["member"])

    def post(_i: int) -> None:
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = member_id
            session["_fresh"] = True
        statuses.append(client.post(f"/outreach/{req.id}/offer",
                                    data={"role_id": role_id}).status_code)

    assert _race(app, post, 3) == []
    assert statuses == [302, 302, 302]
    db.expire_all()
    assert db.scalar(sa.select(sa.func.count(VolunteerOffer.id))) == 1
