"""A mission's staff create, change and publish requests through the API."""

import sqlalchemy as sa

from jetaa.outreach.models import RequestRole, RequestStatus, VolunteerRequest
from tests.api.test_permissions import request_body


def test_create_edit_and_publish_a_request(world, client, bearer, db, outbox):
    staff = bearer(world.users["mission"])
    made = client.post("/api/v1/outreach/missions/cg-test/requests", json=request_body({}),
                       headers=staff)
    assert made.status_code == 201
    assert made.json["status"] == "draft"
    req = db.get(VolunteerRequest, made.json["id"])
    assert (req.mission_id, [b.slug for b in req.branches]) == (world.mission.id, ["home"])
    assert made.json["starts_at"].endswith("+00:00")
    role_id = made.json["roles"][0]["id"]
    changed = client.put(f"/api/v1/outreach/requests/{req.id}", headers=staff, json={
        **request_body({}), "title": "Info session (moved)",
        "roles": [{"id": role_id, "name": "Panelist", "places": 4},
                  {"name": "Greeter", "places": 1}]})
    assert changed.status_code == 200
    assert changed.json["title"] == "Info session (moved)"
    db.expire_all()
    assert sorted(db.scalars(sa.select(RequestRole.places).where(
        RequestRole.request_id == req.id))) == [1, 4]
    before = len(outbox())
    published = client.post(f"/api/v1/outreach/requests/{req.id}/publish", headers=staff)
    assert published.json["status"] == "open"
    db.expire_all()
    assert db.get(VolunteerRequest, req.id).status == RequestStatus.OPEN
    assert len(outbox()) > before, "the asked branch's officer is told"


def test_refusals(world, make_branch, client, bearer, db):
    staff = bearer(world.users["mission"])
    unknown = client.post("/api/v1/outreach/missions/cg-test/requests", headers=staff,
                          json={**request_body({}), "branches": ["atlantis"]})
    assert unknown.status_code == 422
    assert "branches" in unknown.json["error"]["fields"]
    outside = client.post("/api/v1/outreach/missions/cg-test/requests", headers=staff,
                          json={**request_body({}), "branches": ["away"]})
    assert outside.status_code == 422
    assert "outside this mission" in outside.json["error"]["message"]
    body = request_body({})
    backwards = client.post("/api/v1/outreach/missions/cg-test/requests", headers=staff,
                            json={**body, "ends_local": body["starts_local"]})
    assert backwards.status_code == 422
    read_only = client.post("/api/v1/outreach/missions/cg-test/requests", json=body,
                            headers=bearer(world.users["mission"], "read"))
    assert read_only.status_code == 403
    assert db.scalar(sa.select(sa.func.count()).select_from(VolunteerRequest)) == 0
