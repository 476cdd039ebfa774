"""A mission lists its requests and volunteers and confirms them through the API."""

import sqlalchemy as sa

from jetaa.outreach.models import OfferStatus, RequestRole, VolunteerOffer


def test_a_mission_lists_and_confirms_volunteers(world, make_request, make_offer, make_user,
                                                 make_membership, client, bearer, db, outbox):
    req = make_request(places=1)
    first = make_offer(req, world.users["member"])
    second_user = make_user("Sam Second")
    make_membership(second_user, world.branch)
    second = make_offer(req, second_user)
    staff = bearer(world.users["mission"])
    listed = client.get("/api/v1/outreach/requests", headers=staff).json
    assert [r["title"] for r in listed["items"]] == ["Info session at NYU"]
    assert listed["items"][0]["roles"] == [{"id": req.roles[0].id, "name": "Panelist",
                                            "places": 1, "confirmed": 0}]
    volunteers = client.get(f"/api/v1/outreach/requests/{req.id}/volunteers", headers=staff).json
    assert {(v["member"]["name"], v["status"]) for v in volunteers["items"]} == {
        ("Mia Member", "offered"), ("Sam Second", "offered")}
    before = len(outbox())
    confirmed = client.post(f"/api/v1/outreach/offers/{first.id}/confirm", headers=staff)
    assert (confirmed.status_code, confirmed.json["status"]) == (200, "confirmed")
    db.expire_all()
    assert db.get(VolunteerOffer, first.id).status == OfferStatus.CONFIRMED
    assert db.get(RequestRole, req.roles[0].id).confirmed == 1
    assert len(outbox()) > before, "the volunteer is told"
    full = client.post(f"/api/v1/outreach/offers/{second.id}/confirm", headers=staff)
    assert full.status_code == 409
    assert "places" in full.json["error"]["message"]
    db.expire_all()
    assert db.get(VolunteerOffer, second.id).status == OfferStatus.OFFERED


def test_an_officer_sees_only_their_branchs_volunteers(world, make_request, make_offer,
                                                       make_membership, client, bearer):
    req = make_request()
    make_offer(req, world.users["member"])
    req_other = make_request()
    volunteers = client.get(f"/api/v1/outreach/requests/{req.id}/volunteers",
                            headers=bearer(world.users["officer"])).json["items"]
    assert [v["member"]["name"] for v in volunteers] == ["Mia Member"]
    own = client.get(f"/api/v1/outreach/requests/{req_other.id}/volunteers",
                     headers=bearer(world.users["member"])).json["items"]
    assert own == []


def test_outreach_needs_a_token_and_confirming_the_write_scope(world, outreach, login_as,
                                                               client, bearer, db):
    browser = login_as(world.users["mission"])
    assert browser.get("/api/v1/outreach/requests").status_code == 401
    read_only = bearer(world.users["mission"], "read")
    response = client.post(f"/api/v1/outreach/offers/{outreach['offer']}/confirm",
                           headers=read_only)
    assert response.status_code == 403
    assert db.scalar(sa.select(VolunteerOffer.status)) == OfferStatus.OFFERED
