"""What a fresh-eyes review found: each case stays fixed."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from PIL import Image, PngImagePlugin

from jetaa.activities import services
from jetaa.activities.models import Activity, ActivityError, ActivityMember, ActivityStatus
from jetaa.audit.models import AuditEntry
from jetaa.db import utcnow
from jetaa.members.models import Visibility
from tests.activities.conftest import image_bytes
from tests.activities.test_services import _data


def test_nobody_puts_an_activity_into_a_branch_they_are_not_in(world, db, a_day):
    activity = services.create_activity(world.branch, _data(a_day, cohost_ids=[world.other_branch.id]),
                                        actor=world.users["member"])
    db.commit()
    assert db.get(Activity, activity.id).cohosts == []


def test_co_host_officers_neither_edit_nor_open_receipts(world, db, make_membership, login_as,
                                                         make_activity):
    make_membership(world.users["member"], world.other_branch, primary=False)
    activity = services.create_activity(world.branch, _data(utcnow().date() - timedelta(days=2),
                                                            cohost_ids=[world.other_branch.id]),
                                        actor=world.users["member"])
    services.submit_activity(activity, actor=world.users["member"])
    db.commit()
    assert [b.id for b in db.get(Activity, activity.id).cohosts] == [world.other_branch.id]
    client = login_as(world.users["other_officer"])
    assert client.get(f"/activities/{activity.id}").status_code == 200  # they see it
    assert client.get(f"/activities/{activity.id}/edit").status_code == 403
    assert client.post(f"/activities/{activity.id}/receipts").status_code == 403


def test_a_photo_on_a_verified_activity_sends_it_back_to_review(world, db, make_activity):
    activity = make_activity(world.branch, world.users["member"], published=True)
    services.add_photo(activity, image_bytes(), "New picture", actor=world.users["member"])
    db.commit()
    saved = db.get(Activity, activity.id)
    assert (saved.status, saved.is_published) == (ActivityStatus.SUBMITTED, False)
    assert db.scalar(sa.select(AuditEntry.action)) == "activity.photo_add"


def test_a_decision_on_a_stale_page_is_refused(world, db, make_activity, login_as):
    activity = make_activity(world.branch, world.users["member"], status="submitted")
    seen = services.version_of(activity)
    activity.people_reached = 999_999  # the author changes it while the officer reads
    db.commit()
    with pytest.raises(ActivityError, match="changed since you opened it"):
        services.verify_activity(db.get(Activity, activity.id), actor=world.users["officer"],
                                 version=seen)


def test_whoever_changed_an_entry_does_not_verify_it_and_only_authors_submit(world, db, a_day):
    member, officer = world.users["member"], world.users["officer"]
    activity = services.create_activity(world.branch, _data(a_day), actor=member)
    services.submit_activity(activity, actor=member)
    services.update_activity(activity, _data(a_day, people_reached=999_999), actor=officer)
    with pytest.raises(ActivityError, match="wrote or last changed"):
        services.verify_activity(activity, actor=officer)
    services.verify_activity(activity, actor=world.users["admin"])
    draft = services.create_activity(world.branch, _data(a_day), actor=member)
    with pytest.raises(ActivityError, match="Only its author"):
        services.submit_activity(draft, actor=officer)


@pytest.mark.parametrize("value", ["sNaN", "NaN", "Infinity", "1e999"])
def test_numbers_that_are_not_numbers_are_form_errors(world, login_as, db, value):
    response = login_as(world.users["member"]).post("/branches/home/activities/new", data={
        "title": "Tea", "category": "culture", "currency": "USD",
        "starts_on": (utcnow().date() - timedelta(days=1)).isoformat(), "volunteer_hours": value})
    assert response.status_code == 200
    assert db.scalar(sa.select(sa.func.count(Activity.id))) == 0


def test_a_png_whose_text_would_unpack_too_large_is_refused(world, make_activity):
    info = PngImagePlugin.PngInfo()
    info.add_text("comment", "x" * (6 * 2**20), zip=True)
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, format="PNG", pnginfo=info)
    activity = make_activity(world.branch, world.users["member"], status="draft")
    with pytest.raises(ActivityError):
        services.add_photo(activity, out.getvalue(), actor=world.users["member"])


def test_an_edit_missing_a_field_is_no_500(world, login_as, make_activity, db):
    activity = make_activity(world.branch, world.users["member"], status="draft")
    response = login_as(world.users["member"]).post(f"/activities/{activity.id}/edit", data={
        "title": "Renamed", "category": "culture", "currency": "USD",
        "starts_on": activity.starts_on.isoformat()})
    assert response.status_code == 302
    assert db.get(Activity, activity.id).title == "Renamed"


def test_names_follow_the_privacy_gate(world, db, make_activity, make_profile, login_as):
    member = world.users["member"]
    make_profile(member, visibility=Visibility.OFFICERS)
    activity = make_activity(world.branch, member, published=True)
    db.add(ActivityMember(activity_id=activity.id, user_id=member.id))
    db.commit()
    for role in ("anonymous", "pending", "other_officer"):
        assert "Mia Member" not in login_as(world.users[role]).get(
            f"/activities/{activity.id}").get_data(as_text=True), role
    assert "Mia Member" in login_as(world.users["officer"]).get(
        f"/activities/{activity.id}").get_data(as_text=True)


def test_only_a_past_published_event_of_the_branch_is_logged(world, db, make_event, login_as):
    future = make_event(world.branch)  # not over yet
    away = make_event(world.other_branch, starts_at=utcnow() - timedelta(days=3))
    client = login_as(world.users["admin"])
    assert client.get(f"/branches/home/activities/new?event={future.id}").status_code == 404
    assert client.get(f"/branches/home/activities/new?event={away.id}").status_code == 404


def test_csv_names_stay_ascii(world, login_as, db):
    world.branch.grouping = "日本 グループ"
    db.commit()
    response = login_as(world.users["admin"]).get("/impact?grouping=日本 グループ&csv=totals")
    assert response.status_code == 200
    response.headers["Content-Disposition"].encode("latin-1")
