"""Pictures: checked, EXIF stripped, sized, named by the server, cached long, private when
the profile is."""

from __future__ import annotations

import io

import sqlalchemy as sa
from PIL import Image

from jetaa.audit.models import AuditEntry
from jetaa.members.models import AlumniProfile, Visibility
from jetaa.pictures.display import initials
from jetaa.pictures.storage import SIZES, picture_path
from tests.activities.conftest import image_bytes
from tests.activities.test_uploads import _gps_exif


def _upload(client, url, data: bytes, name: str = "me.jpg"):  # noqa: ANN001, ANN202
    return client.post(url, data={"picture": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_profile_photo_is_resized_stripped_and_served_with_long_cache(app, world, login_as, db):
    member = world.users["member"]
    client = login_as(member)
    response = _upload(client, "/account/photo",
                       image_bytes("JPEG", (1600, 900), exif=_gps_exif()), "../../../evil.php")
    assert response.status_code == 302
    db.refresh(member)
    name = member.photo_name
    assert name.endswith(".jpg")
    assert "evil" not in name
    assert len(name) == 36
    for size, (side, _square) in SIZES["profile"].items():
        stored = Image.open(picture_path("profile", size, name))
        assert stored.size == (side, side)  # a square crop
        assert not stored.getexif()  # no GPS position left
    served = client.get(f"/pictures/profile/{member.id}/small/{name}")
    assert served.headers["Content-Type"] == "image/jpeg"
    assert "max-age=31536000" in served.headers["Cache-Control"]
    assert served.headers["Cache-Control"].startswith("private")
    assert db.scalar(sa.select(AuditEntry.action).where(AuditEntry.action == "picture.profile"))
    # A new photo gets a new name; the old files go.
    _upload(client, "/account/photo", image_bytes("PNG"), "me.png")
    db.refresh(member)
    assert member.photo_name != name
    assert member.photo_name.endswith(".png")
    assert not picture_path("profile", "small", name).exists()
    client.post("/account/photo", data={"remove": "y"})
    db.refresh(member)
    assert member.photo_name is None


def test_bad_files_are_refused_with_a_message(world, login_as, db):
    client = login_as(world.users["member"])
    for data, message in ((b"GIF89a" + b"\x00" * 50, "not an image we can read"),
                          (b"", "The file is empty"),
                          (image_bytes("GIF"), "must be JPEG, PNG or WebP")):
        response = client.post("/account/photo", data={"picture": (io.BytesIO(data), "x.gif")},
                               content_type="multipart/form-data", follow_redirects=True)
        assert message in response.get_data(as_text=True), message
    db.refresh(world.users["member"])
    assert world.users["member"].photo_name is None


def test_photo_follows_the_profile_visibility(app, world, login_as, db):
    member = world.users["member"]
    _upload(login_as(member), "/account/photo", image_bytes("JPEG"))
    db.refresh(member)
    url = f"/pictures/profile/{member.id}/small/{member.photo_name}"
    db.add(AlumniProfile(user_id=member.id, visibility=Visibility.FEDERATION))
    db.commit()
    assert login_as(world.users["other_officer"]).get(url).status_code == 200
    db.get(AlumniProfile, member.id).visibility = Visibility.OFFICERS
    db.commit()
    assert login_as(world.users["other_officer"]).get(url).status_code == 404
    assert login_as(world.users["officer"]).get(url).status_code == 200


def test_logo_is_public_and_shown_on_the_branch_page(world, login_as, db):
    _upload(login_as(world.users["officer"]), "/branches/home/logo", image_bytes("PNG"), "l.png")
    db.refresh(world.branch)
    page = login_as(None).get("/branches/home").get_data(as_text=True)
    assert f"/pictures/logo/{world.branch.id}/medium/{world.branch.logo_name}" in page
    served = login_as(None).get(f"/pictures/logo/{world.branch.id}/small/{world.branch.logo_name}")
    assert served.headers["Cache-Control"].startswith("public")


def test_initials():
    assert initials("Hannah Brooks") == "HB"
    assert initials("山田 太郎") == "山太"
    assert initials("  ") == "?"
    assert initials("Cher") == "C"


def test_deleting_the_account_deletes_the_photo(world, login_as, db):
    member = world.users["member"]
    client = login_as(member)
    _upload(client, "/account/photo", image_bytes("JPEG"))
    db.refresh(member)
    name = member.photo_name
    from jetaa.members.services.profiles import delete_account

    delete_account(member, actor=member)
    db.commit()
    assert member.photo_name is None
    assert not picture_path("profile", "small", name).exists()
