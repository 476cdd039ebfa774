"""Photos and receipts: checked by content, EXIF dropped, files and rows kept together."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from PIL import Image

from jetaa.activities import uploads
from jetaa.activities.models import ActivityError, ActivityPhoto, ActivityReceipt
from tests.activities.conftest import image_bytes


def _files(app) -> set[str]:  # noqa: ANN001
    root = uploads.Path(app.config["ACTIVITY_UPLOAD_DIR"])
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() \
        else set()


@pytest.fixture
def activity(world, make_activity):  # noqa: ANN001, ANN201
    return make_activity(world.branch, world.users["member"], status="draft")


def _gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x0110] = "Secret Camera"  # Model
    exif[0x8825] = {1: "N", 2: (35.0, 41.0, 22.0), 3: "E", 4: (139.0, 41.0, 30.0)}  # GPS
    return exif.tobytes()


def test_a_photo_is_stored_with_a_thumbnail_and_without_its_exif(app, db, activity):
    before = _files(app)
    photo = uploads.add_photo(activity, image_bytes("JPEG", (3000, 1500), exif=_gps_exif()),
                              "Our stall")
    db.commit()
    new = _files(app) - before
    assert new == {f"photos/{photo.stored_name}", f"photos/thumbs/{photo.stored_name}"}
    assert photo.stored_name.endswith(".jpg")
    assert (photo.width, photo.height, photo.content_type) == (2000, 1000, "image/jpeg")
    stored = Image.open(uploads.photo_path(photo))
    assert not stored.getexif()  # no camera, no GPS position
    assert max(Image.open(uploads.photo_path(photo, thumb=True)).size) == uploads.THUMB_SIDE


@pytest.mark.parametrize(("data", "message"), [
    (b"GIF89a" + b"\x00" * 40, "not an image we can read"),
    (b"<?php echo 'hi'; ?>", "not an image we can read"),
    (image_bytes("GIF"), "JPEG, PNG or WebP"),
    (image_bytes("PNG")[:60], "not an image we can read"),
    (b"", "empty"),
])
def test_what_is_not_really_a_photo_is_refused_and_leaves_nothing(app, db, activity, data,
                                                                  message):
    before = _files(app)
    with pytest.raises(ActivityError, match=message):
        uploads.add_photo(activity, data)
    db.rollback()
    assert _files(app) == before
    assert db.scalar(sa.select(sa.func.count(ActivityPhoto.id))) == 0


def test_too_large_and_too_many_photos_are_refused(app, db, activity, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_PHOTO_BYTES", 1000)
    with pytest.raises(ActivityError, match="too large"):
        uploads.add_photo(activity, image_bytes("PNG", (400, 400)) + b"\x00" * 1000)
    monkeypatch.undo()
    for _ in range(uploads.MAX_PHOTOS):
        uploads.add_photo(activity, image_bytes())
    with pytest.raises(ActivityError, match="at most 6 photos"):
        uploads.add_photo(activity, image_bytes())


def test_a_rolled_back_upload_leaves_no_file_and_a_deleted_photo_goes_on_commit(app, db, activity):
    before = _files(app)
    uploads.add_photo(activity, image_bytes())
    assert len(_files(app) - before) == 2
    db.rollback()  # e.g. the row failed after the files were written
    assert _files(app) == before
    photo = uploads.add_photo(activity, image_bytes())
    db.commit()
    uploads.delete_photo(photo)
    db.rollback()  # the deletion did not happen: the files stay
    assert len(_files(app) - before) == 2
    uploads.delete_photo(db.get(ActivityPhoto, photo.id))
    db.commit()
    assert _files(app) == before


def test_receipts_are_pdfs_or_images_only(app, db, activity):
    receipt = uploads.add_receipt(activity, b"%PDF-1.7\n...", "../../etc/Hall hire.pdf")
    db.commit()
    assert (receipt.content_type, receipt.filename) == ("application/pdf", "Hall hire.pdf")
    assert receipt.stored_name.endswith(".pdf")
    assert uploads.add_receipt(activity, image_bytes("PNG"), "photo.png").content_type == "image/png"
    with pytest.raises(ActivityError, match="PDF files or images"):
        uploads.add_receipt(activity, b"MZ\x90\x00 an executable", "receipt.pdf")


def test_uploading_through_the_page(world, db, login_as, activity, app):
    client = login_as(world.users["member"])
    response = client.post(f"/activities/{activity.id}/photos", data={
        "photo": (io.BytesIO(image_bytes("WEBP")), "holiday.gif"), "caption": "Kimono try-on",
        "in_report": "y"}, content_type="multipart/form-data")
    assert response.status_code == 302
    photo = db.scalar(sa.select(ActivityPhoto))
    assert (photo.content_type, photo.caption, photo.in_report) == ("image/webp", "Kimono try-on",
                                                                   True)
    shown = client.get(f"/activities/{activity.id}/photos/{photo.id}?thumb=1")
    assert shown.status_code == 200
    assert shown.mimetype == "image/webp"
    response = client.post(f"/activities/{activity.id}/photos", data={
        "photo": (io.BytesIO(b"not an image"), "fake.jpg")}, content_type="multipart/form-data")
    assert "not an image we can read" in client.get(response.headers["Location"]).get_data(
        as_text=True)
    assert db.scalar(sa.select(sa.func.count(ActivityPhoto.id))) == 1
    client.post(f"/activities/{activity.id}/receipts", data={
        "receipt": (io.BytesIO(b"%PDF-1.4 x"), "hall.pdf")}, content_type="multipart/form-data")
    receipt = db.scalar(sa.select(ActivityReceipt))
    # The author attached it; only officers and admins open it.
    assert client.get(f"/activities/{activity.id}/receipts/{receipt.id}").status_code == 403


def test_files_no_row_names_are_removed(app, db, activity):
    uploads.remove_unreferenced()  # earlier tests' files: their rows were emptied
    kept = uploads.add_photo(activity, image_bytes())
    db.commit()
    stray = uploads.upload_dir() / "photos" / "0123abcd.jpg"
    stray.write_bytes(b"left by a wiped database")
    assert uploads.remove_unreferenced() == 1
    assert not stray.exists()
    assert uploads.photo_path(kept).exists()
    assert uploads.photo_path(kept, thumb=True).exists()
