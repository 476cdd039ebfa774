"""Picture routes x every role: a picture follows what it belongs to."""

from __future__ import annotations

import io

import pytest

from jetaa.pictures.storage import store_picture
from tests.activities.conftest import image_bytes
from tests.conftest import LOGIN, ROLES, assert_answers, by_role, home_managers, signed_in, table_rows

# The member's profile is seen by the branch's members and officers (the default).
PROFILE = by_role(404, member=200, officer=200, admin=200)

TABLE = {
    ("GET", "/pictures/profile/{member}/small/{photo}"): PROFILE,
    ("GET", "/pictures/profile/{member}/medium/{photo}"): PROFILE,
    ("GET", "/pictures/profile/{member}/small/0123456789abcdef.jpg"): by_role(404),
    ("GET", "/pictures/profile/{member}/huge/{photo}"): by_role(404),
    ("GET", "/pictures/logo/{branch}/medium/{logo}"): by_role(200),
    ("GET", "/pictures/event/{pub}/large/{image}"): by_role(200),
    ("GET", "/pictures/event/{members}/large/{members_image}"): by_role(404, member=200,
                                                                        officer=200, admin=200),
    ("GET", "/pictures/announcement/{sent}/small/{poster}"): by_role(404, member=200, officer=200,
                                                                     admin=200),
    ("GET", "/pictures/nothing/1/small/x.jpg"): by_role(404),
    ("POST", "/account/photo"): signed_in(302),
    ("POST", "/events/{pub}/image"): home_managers(302),
    ("POST", "/branches/home/logo"): home_managers(302),
}


@pytest.fixture
def pictures(app, world, db, make_event, make_announcement):  # noqa: ANN001, ANN201
    member = world.users["member"]
    with app.test_request_context():
        member.photo_name = store_picture("profile", image_bytes("JPEG", (400, 300)))
        world.branch.logo_name = store_picture("logo", image_bytes("PNG"))
        pub = make_event(world.branch, title="Public picnic")
        pub.image_name = store_picture("event", image_bytes("WEBP"))
        members = make_event(world.branch, title="Members mixer", audience="branch")
        members.image_name = store_picture("event", image_bytes())
        sent = make_announcement(world.branch, status="sent")
        sent.image_name = store_picture("announcement", image_bytes())
        db.commit()
    return {"member": member.id, "photo": member.photo_name, "branch": world.branch.id,
            "logo": world.branch.logo_name, "pub": pub.id, "image": pub.image_name,
            "members": members.id, "members_image": members.image_name, "sent": sent.id,
            "poster": sent.image_name}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url"), table_rows(TABLE))
def test_route_answers_each_role(world, pictures, login_as, role, method, url):  # noqa: ANN001
    data = {"picture": (io.BytesIO(image_bytes()), "me.png")} if method == "POST" else None
    response = login_as(world.users[role]).open(url.format(**pictures), method=method, data=data,
                                                 content_type="multipart/form-data")
    assert_answers(response, TABLE[method, url][role])


assert LOGIN  # (imported for readers of the table: signed_in rows send visitors to log in)
