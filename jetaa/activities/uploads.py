"""Photos and receipts: checked by their content, stored outside static/ under names we choose.

Files live under ACTIVITY_UPLOAD_DIR (instance/uploads by default):
`photos/<name>`, `photos/thumbs/<name>` and `receipts/<name>`, where `<name>` is a
random hex string and an extension of the format found in the bytes (never
the uploaded file name). Checking, re-encoding (EXIF dropped) and keeping files
in step with their rows: core/files.py, shared with pictures/storage.py.
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
from PIL import Image

from jetaa.activities.models import Activity, ActivityError, ActivityPhoto, ActivityReceipt
from jetaa.core.files import (
    PHOTO_FORMATS,
    encode,
    forget_files,
    open_image,
    read_upload,
    unlink,
    upright,
    write_file,
)
from jetaa.extensions import db

logger = logging.getLogger(__name__)

MAX_PHOTOS = 6
MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_RECEIPT_BYTES = 5 * 1024 * 1024
LONGEST_SIDE, THUMB_SIDE = 2000, 480


def upload_dir() -> Path:
    return Path(current_app.config["ACTIVITY_UPLOAD_DIR"])


def photo_path(photo: ActivityPhoto, *, thumb: bool = False) -> Path:
    return upload_dir() / "photos" / ("thumbs" if thumb else "") / photo.stored_name


def receipt_path(receipt: ActivityReceipt) -> Path:
    return upload_dir() / "receipts" / receipt.stored_name


def add_photo(activity: Activity, upload: Any, caption: str = "", *,
              in_report: bool = False) -> ActivityPhoto:
    """Store a photo and its thumbnail (at most MAX_PHOTOS per activity)."""
    count = db.session.scalar(sa.select(sa.func.count(ActivityPhoto.id))
                              .where(ActivityPhoto.activity_id == activity.id)) or 0
    if count >= MAX_PHOTOS:
        raise ActivityError(_l("An activity can have at most %(n)d photos.", n=MAX_PHOTOS))
    image, fmt = upright(open_image(read_upload(upload, MAX_PHOTO_BYTES, error=ActivityError),
                                    error=ActivityError))
    content_type, extension = PHOTO_FORMATS[fmt]
    full, thumb = encode(image, fmt, LONGEST_SIDE), encode(image, fmt, THUMB_SIDE)
    stored = Image.open(io.BytesIO(full))
    photo = ActivityPhoto(activity_id=activity.id, stored_name=secrets.token_hex(16) + extension,
                          content_type=content_type, width=stored.width, height=stored.height,
                          size=len(full), caption=caption.strip()[:200], in_report=in_report)
    write_file(photo_path(photo), full)
    write_file(photo_path(photo, thumb=True), thumb)
    db.session.add(photo)
    db.session.flush()
    return photo


def add_receipt(activity: Activity, upload: Any, filename: str) -> ActivityReceipt:
    """Store a receipt: a PDF (by its %PDF- header) or a JPEG, PNG or WebP image."""
    data = read_upload(upload, MAX_RECEIPT_BYTES, error=ActivityError)
    if data.startswith(b"%PDF-"):
        content_type, extension = "application/pdf", ".pdf"
    else:
        try:
            image = open_image(data, error=ActivityError)
        except ActivityError as error:
            raise ActivityError(_l("Receipts must be PDF files or images (JPEG, PNG, WebP).")) \
                from error
        content_type, extension = PHOTO_FORMATS.get(image.format, PHOTO_FORMATS["JPEG"])
    safe_name = "".join(c for c in Path(filename or "receipt").name if c.isprintable())[:160]
    receipt = ActivityReceipt(activity_id=activity.id,
                              stored_name=secrets.token_hex(16) + extension,
                              content_type=content_type, filename=safe_name or "receipt",
                              size=len(data))
    write_file(receipt_path(receipt), data)
    db.session.add(receipt)
    db.session.flush()
    return receipt


def delete_photo(photo: ActivityPhoto) -> None:
    forget_files(photo_path(photo), photo_path(photo, thumb=True))
    db.session.delete(photo)


def delete_receipt(receipt: ActivityReceipt) -> None:
    forget_files(receipt_path(receipt))
    db.session.delete(receipt)


def remove_unreferenced() -> int:
    """Delete stored files that no row names (left by a wiped database); returns how many."""
    root = upload_dir()
    if not root.is_dir():
        return 0
    names = set(db.session.scalars(sa.select(ActivityPhoto.stored_name))) | set(
        db.session.scalars(sa.select(ActivityReceipt.stored_name)))
    stale = [path for folder in ("photos", "photos/thumbs", "receipts")
             for path in (root / folder).glob("*") if path.is_file() and path.name not in names]
    unlink(stale)
    return len(stale)
