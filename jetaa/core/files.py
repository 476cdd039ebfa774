"""Uploaded pictures and files: checked by their content, kept in step with their rows.

Used by activity photos and receipts (activities/uploads.py) and by profile photos,
event images, branch logos and announcement images (pictures/storage.py). A picture
is opened only if its bytes are a JPEG, PNG or WebP of a sane size, then
re-encoded: that drops its EXIF data (camera, GPS position) after the orientation
it records has been applied.

A file is written before its row is committed. If the transaction then rolls
back, the files written in it are deleted (`_rolled_back`); files of rows
deleted in a transaction are removed only once it commits. So neither a row
without its file nor a file without its row is left behind.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy.orm import Session

from jetaa.core.actions import Refused
from jetaa.extensions import db

logger = logging.getLogger(__name__)

MAX_PIXELS = 24_000_000  # larger pictures are refused before they are decoded (memory)
PHOTO_FORMATS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png"),
                 "WEBP": ("image/webp", ".webp")}
_NEW, _GONE = "stored_files_new", "stored_files_gone"


class FileRefused(Refused):
    """An upload that is not what it should be (translated reason)."""


def read_upload(upload: Any, limit: int, *, error: type[Refused] = FileRefused) -> bytes:
    """The upload's bytes, refused when empty or over `limit` bytes."""
    data = upload.read(limit + 1) if hasattr(upload, "read") else bytes(upload)
    if not data:
        raise error(_l("The file is empty."))
    if len(data) > limit:
        raise error(_l("The file is too large (at most %(mb)d MB).", mb=limit // 2**20))
    return data


def open_image(data: bytes, *, error: type[Refused] = FileRefused) -> Image.Image:
    """The picture in `data`, if it really is a JPEG, PNG or WebP of a sane size."""
    try:
        probe = Image.open(io.BytesIO(data))
        if probe.format not in PHOTO_FORMATS and probe.format != "MPO":  # MPO: a phone's JPEG
            raise error(_l("Photos must be JPEG, PNG or WebP images."))
        if probe.width * probe.height > MAX_PIXELS:
            raise error(_l("The image is too large (at most 24 megapixels)."))
        probe.verify()  # a truncated or corrupt file fails here
        image = Image.open(io.BytesIO(data))
        image.load()
    # ValueError: e.g. a PNG text chunk that would unpack too large.
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError) as problem:
        raise error(_l("This file is not an image we can read (JPEG, PNG or WebP).")) \
            from problem
    return image


def upright(original: Image.Image) -> tuple[Image.Image, str]:
    """The picture turned as its EXIF orientation says, and its format (MPO is a JPEG)."""
    fmt = "JPEG" if original.format == "MPO" else original.format
    return ImageOps.exif_transpose(original), fmt


def encode(image: Image.Image, fmt: str, side: int, *, square: bool = False) -> bytes:
    """`image` at most `side` pixels on its longest side (`square`: cropped to a square)."""
    copy = ImageOps.fit(image, (side, side)) if square else image.copy()
    if not square:
        copy.thumbnail((side, side))
    if fmt == "JPEG" and copy.mode not in ("RGB", "L"):
        copy = copy.convert("RGB")
    out = io.BytesIO()
    # No exif= argument: the new file carries no EXIF block, so no GPS position.
    copy.save(out, format=fmt, quality=85) if fmt != "PNG" else copy.save(out, format=fmt)
    return out.getvalue()


def write_file(path: Path, data: bytes) -> None:
    """Write `path`; it is deleted again if the transaction rolls back."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".part")
    temporary.write_bytes(data)
    temporary.replace(path)
    db.session.info.setdefault(_NEW, []).append(path)


def forget_files(*paths: Path) -> None:
    """Remove these files once the transaction that deletes their rows commits."""
    db.session.info.setdefault(_GONE, []).extend(paths)


def unlink(paths: list[Path]) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError as problem:  # a file we cannot remove is logged, never a failed request
            logger.warning("could not remove %s: %s", path, problem)


def _committed(session: Session) -> None:
    session.info.pop(_NEW, None)
    unlink(session.info.pop(_GONE, []))


def _rolled_back(session: Session) -> None:
    unlink(session.info.pop(_NEW, []))
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
