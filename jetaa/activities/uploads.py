"""Photos and receipts: checked by their content, stored outside static/ under names we choose.

Files live under ACTIVITY_UPLOAD_DIR (instance/uploads by default):
`photos/<name>`, `photos/thumbs/<name>` and `receipts/<name>`, where `<name>` is a
random hex string and an extension of the format found in the bytes (never
the uploaded file name). A photo is re-encoded: that drops its EXIF data
(camera, GPS position) after the orientation it records has been applied.

A file is written before its row is committed. If the transaction then rolls
back, the files written in it are deleted (`_rolled_back`); files of rows
deleted in a transaction are removed only once it commits. So neither a row
without its file nor a file without its row is left behind.
"""

from __future__ import annotations

import io
import logging
import secrets
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy.orm import Session

from jetaa.activities.models import Activity, ActivityError, ActivityPhoto, ActivityReceipt
from jetaa.extensions import db

logger = logging.getLogger(__name__)

MAX_PHOTOS = 6
MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_RECEIPT_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 24_000_000  # larger pictures are refused before they are decoded (memory)
LONGEST_SIDE, THUMB_SIDE = 2000, 480
PHOTO_FORMATS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png"),
                 "WEBP": ("image/webp", ".webp")}
_NEW, _GONE = "activity_files_new", "activity_files_gone"


def upload_dir() -> Path:
    return Path(current_app.config["ACTIVITY_UPLOAD_DIR"])


def photo_path(photo: ActivityPhoto, *, thumb: bool = False) -> Path:
    return upload_dir() / "photos" / ("thumbs" if thumb else "") / photo.stored_name


def receipt_path(receipt: ActivityReceipt) -> Path:
    return upload_dir() / "receipts" / receipt.stored_name


def _read(upload: Any, limit: int) -> bytes:
    data = upload.read(limit + 1) if hasattr(upload, "read") else bytes(upload)
    if not data:
        raise ActivityError(_l("The file is empty."))
    if len(data) > limit:
        raise ActivityError(_l("The file is too large (at most %(mb)d MB).", mb=limit // 2**20))
    return data


def _image(data: bytes) -> Image.Image:
    """The picture in `data`, if it really is a JPEG, PNG or WebP of a sane size."""
    try:
        probe = Image.open(io.BytesIO(data))
        if probe.format not in PHOTO_FORMATS and probe.format != "MPO":  # MPO: a phone's JPEG
            raise ActivityError(_l("Photos must be JPEG, PNG or WebP images."))
        if probe.width * probe.height > MAX_PIXELS:
            raise ActivityError(_l("The image is too large (at most 24 megapixels)."))
        probe.verify()  # a truncated or corrupt file fails here
        image = Image.open(io.BytesIO(data))
        image.load()
    # ValueError: e.g. a PNG text chunk that would unpack too large.
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError) as error:
        raise ActivityError(_l("This file is not an image we can read (JPEG, PNG or WebP).")) \
            from error
    return image


def _encode(image: Image.Image, fmt: str, side: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((side, side))
    if fmt == "JPEG" and copy.mode not in ("RGB", "L"):
        copy = copy.convert("RGB")
    out = io.BytesIO()
    # No exif= argument: the new file carries no EXIF block, so no GPS position.
    copy.save(out, format=fmt, quality=85) if fmt != "PNG" else copy.save(out, format=fmt)
    return out.getvalue()


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".part")
    temporary.write_bytes(data)
    temporary.replace(path)
    db.session.info.setdefault(_NEW, []).append(path)


def add_photo(activity: Activity, upload: Any, caption: str = "", *,
              in_report: bool = False) -> ActivityPhoto:
    """Store a photo and its thumbnail (at most MAX_PHOTOS per activity)."""
    count = db.session.scalar(sa.select(sa.func.count(ActivityPhoto.id))
                              .where(ActivityPhoto.activity_id == activity.id)) or 0
    if count >= MAX_PHOTOS:
        raise ActivityError(_l("An activity can have at most %(n)d photos.", n=MAX_PHOTOS))
    original = _image(_read(upload, MAX_PHOTO_BYTES))
    # The format found in the bytes (turning the image forgets it); a phone's MPO is a JPEG.
    fmt = "JPEG" if original.format == "MPO" else original.format
    image = ImageOps.exif_transpose(original)
    content_type, extension = PHOTO_FORMATS[fmt]
    full, thumb = _encode(image, fmt, LONGEST_SIDE), _encode(image, fmt, THUMB_SIDE)
    stored = Image.open(io.BytesIO(full))
    photo = ActivityPhoto(activity_id=activity.id, stored_name=secrets.token_hex(16) + extension,
                          content_type=content_type, width=stored.width, height=stored.height,
                          size=len(full), caption=caption.strip()[:200], in_report=in_report)
    _write(photo_path(photo), full)
    _write(photo_path(photo, thumb=True), thumb)
    db.session.add(photo)
    db.session.flush()
    return photo


def add_receipt(activity: Activity, upload: Any, filename: str) -> ActivityReceipt:
    """Store a receipt: a PDF (by its %PDF- header) or a JPEG, PNG or WebP image."""
    data = _read(upload, MAX_RECEIPT_BYTES)
    if data.startswith(b"%PDF-"):
        content_type, extension = "application/pdf", ".pdf"
    else:
        try:
            image = _image(data)
        except ActivityError as error:
            raise ActivityError(_l("Receipts must be PDF files or images (JPEG, PNG, WebP).")) \
                from error
        content_type, extension = PHOTO_FORMATS.get(image.format, PHOTO_FORMATS["JPEG"])
    safe_name = "".join(c for c in Path(filename or "receipt").name if c.isprintable())[:160]
    receipt = ActivityReceipt(activity_id=activity.id,
                              stored_name=secrets.token_hex(16) + extension,
                              content_type=content_type, filename=safe_name or "receipt",
                              size=len(data))
    _write(receipt_path(receipt), data)
    db.session.add(receipt)
    db.session.flush()
    return receipt


def forget_files(*paths: Path) -> None:
    """Remove these files once the transaction that deletes their rows commits."""
    db.session.info.setdefault(_GONE, []).extend(paths)


def delete_photo(photo: ActivityPhoto) -> None:
    forget_files(photo_path(photo), photo_path(photo, thumb=True))
    db.session.delete(photo)


def delete_receipt(receipt: ActivityReceipt) -> None:
    forget_files(receipt_path(receipt))
    db.session.delete(receipt)


def _unlink(paths: list[Path]) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError as error:  # a file we cannot remove is logged, never a failed request
            logger.warning("could not remove %s: %s", path, error)


def _committed(session: Session) -> None:
    session.info.pop(_NEW, None)
    _unlink(session.info.pop(_GONE, []))


def _rolled_back(session: Session) -> None:
    _unlink(session.info.pop(_NEW, []))
    session.info.pop(_GONE, None)


_listening = False


def listen() -> None:
    """Install the session hooks that keep files and rows together (once per process)."""
    global _listening  # noqa: PLW0603 - one set of listeners per process
    if _listening:
        return
    sa.event.listen(Session, "after_commit", _committed)
    # after_rollback: the real rollback only (a savepoint's leaves the outer transaction's files)
    sa.event.listen(Session, "after_rollback", _rolled_back)
    _listening = True


def remove_unreferenced() -> int:
    """Delete stored files that no row names (left by a wiped database); returns how many."""
    root = upload_dir()
    if not root.is_dir():
        return 0
    names = set(db.session.scalars(sa.select(ActivityPhoto.stored_name))) | set(
        db.session.scalars(sa.select(ActivityReceipt.stored_name)))
    stale = [path for folder in ("photos", "photos/thumbs", "receipts")
             for path in (root / folder).glob("*") if path.is_file() and path.name not in names]
    _unlink(stale)
    return len(stale)
