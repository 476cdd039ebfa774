"""Activities through the API: log, submit and review with the activities service's rules."""

from datetime import timedelta

from jetaa.activities.models import Activity, ActivityStatus
from jetaa.db import utcnow

NEW = {"title": "School visit", "category": "schools", "starts_on": "2025-05-01",
       "people_reached": 120, "volunteers": 3, "volunteer_hours": "7.5", "money_raised": "12.50",
       "partners": ["Lincoln High"]}


def test_log_submit_and_verify(world, client, bearer, db):
    member, officer = bearer(world.users["member"]), bearer(world.users["officer"])
    made = client.post("/api/v1/branches/home/activities", json=NEW, headers=member)
    assert made.status_code == 201
    body = made.json
    assert (body["status"], body["volunteer_hours"], body["money_raised"]) == (
        "draft", "7.5", "12.50")
    activity = db.get(Activity, body["id"])
    assert activity.created_by_id == world.users["member"].id
    assert activity.people_reached == 120
    assert client.post(f"/api/v1/activities/{activity.id}/review", json={"decision": "verify"},
                       headers=officer).status_code == 404, "a draft is its author's"
    submitted = client.post(f"/api/v1/activities/{activity.id}/submit", headers=member)
    assert submitted.json["status"] == "submitted"
    stale = client.post(f"/api/v1/activities/{activity.id}/review",
                        json={"decision": "verify", "version": "2000-01-01T00:00:00"},
                        headers=officer)
    assert stale.status_code == 409
    no_comment = client.post(f"/api/v1/activities/{activity.id}/review",
                             json={"decision": "changes"}, headers=officer)
    assert no_comment.status_code == 409
    assert "comment" in no_comment.json["error"]["message"]
    verified = client.post(f"/api/v1/activities/{activity.id}/review",
                           json={"decision": "verify", "version": submitted.json["version"]},
                           headers=officer)
    assert verified.json["status"] == "verified"
    db.expire_all()
    assert db.get(Activity, activity.id).status == ActivityStatus.VERIFIED
    listed = client.get("/api/v1/branches/home/activities", headers=member).json["items"]
    assert [a["title"] for a in listed] == ["School visit"]


def test_the_services_rules_answer_422_and_409(world, client, bearer, db):
    member = bearer(world.users["member"])
    bad = client.post("/api/v1/branches/home/activities",
                      json={**NEW, "category": "parades"}, headers=member)
    assert bad.status_code == 422
    assert "category" in bad.json["error"]["fields"]
    backwards = client.post("/api/v1/branches/home/activities",
                            json={**NEW, "ends_on": "2025-04-01"}, headers=member)
    assert backwards.status_code == 422
    assert "end on or after" in backwards.json["error"]["message"]
    future = (utcnow() + timedelta(days=5)).date().isoformat()
    made = client.post("/api/v1/branches/home/activities",
                       json={**NEW, "starts_on": future}, headers=member)
    if made.status_code == 201:  # a future date may be refused already when logging
        early = client.post(f"/api/v1/activities/{made.json['id']}/submit", headers=member)
        assert early.status_code == 409
    else:
        assert made.status_code == 422
    assert db.query(Activity).filter(Activity.status != ActivityStatus.DRAFT).count() == 0


def test_visitors_see_only_published_verified_activities(world, activities, client, db):
    assert client.get("/api/v1/branches/home/activities").json["items"] == []
    activity = db.get(Activity, activities["sub"])
    activity.status, activity.is_published = ActivityStatus.VERIFIED, True
    db.commit()
    items = client.get("/api/v1/branches/home/activities").json["items"]
    assert [a["id"] for a in items] == [activities["sub"]]
