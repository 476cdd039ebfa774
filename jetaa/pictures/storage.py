"""Pictures of people, events, branches and announcements, in a few sizes.

Files live under PICTURE_DIR (instance/pictures by default, outside static/):
`<kind>/<size>/<name>`, where `<name>` is a random hex string and the extension of
the format found in the bytes; the owning row keeps the name (`User.photo_name`,
`Event.image_name`, `Branch.logo_name`, `Announcement.image_name`). A new picture
gets a new name, so its address can be cached for a year. Checking, re-encoding
(EXIF dropped) and the files' transaction hooks: core/files.py.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from flask import current_app

from jetaa.core.files import (
    PHOTO_FORMATS,
    encode,
    forget_files,
    open_image,
    read_upload,
    upright,
    write_file,
)

# kind -> size name -> (longest side in pixels, cropped to a square?)
SIZES = {
    "profile": {"small": (96, True), "medium": (320, True)},
    "event": {"small": (480, False), "large": (1200, False)},
    "logo": {"small": (128, False), "medium": (512, False)},
    "announcement": {"small": (480, False), "large": (1200, False)},
}
CONTENT_TYPES = {extension: content_type for content_type, extension in PHOTO_FORMATS.values()}


def picture_dir() -> Path:
    return Path(current_app.config["PICTURE_DIR"])


def picture_path(kind: str, size: str, name: str) -> Path:
    return picture_dir() / kind / size / name


def content_type(name: str) -> str:
    return CONTENT_TYPES.get(Path(name).suffix, "application/octet-stream")


def store_picture(kind: str, upload: Any, *, old_name: str | None = None) -> str:
    """Check and store `upload` in every size of `kind`; returns its new name. The files of
    `old_name` go once the transaction commits."""
    image, fmt = upright(open_image(read_upload(upload, current_app.config["PICTURE_MAX_BYTES"])))
    name = secrets.token_hex(16) + PHOTO_FORMATS[fmt][1]
    for size, (side, square) in SIZES[kind].items():
        write_file(picture_path(kind, size, name), encode(image, fmt, side, square=square))
    if old_name:
        drop_picture(kind, old_name)
    return name


def drop_picture(kind: str, name: str | None) -> None:
    """Remove a picture's files once the transaction commits."""
    if name:
        forget_files(*(picture_path(kind, size, name) for size in SIZES[kind]))
