"""Static files at content-hashed addresses, kept by browsers for a year; compressed responses.

`url_for("static", filename="css/site.css")` gives `/static/css/site.css?v=<hash of the file>`:
a changed file gets a new address, so the address may be cached for a year (`immutable`).
A request without the current hash (an old page, a hand-typed address) gets the file
with `no-cache`, to be revalidated by its ETag. Responses are compressed (gzip, Brotli
or zstd, as the browser asks) by Flask-Compress.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import Flask, Response, request
from flask_compress import Compress
from werkzeug.security import safe_join

YEAR = 365 * 24 * 3600
compress = Compress()


def init_app(app: Flask) -> None:
    folder = app.static_folder
    assert folder is not None

    def digest(filename: str) -> str:
        path = safe_join(folder, filename)
        if path is None or not Path(path).is_file():
            return ""
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]

    if not app.debug:  # the files do not change under a running site; in debug they may
        digest = cache(digest)

    @app.url_defaults
    def version_static(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values and (version := digest(values.get("filename", ""))):
            values["v"] = version

    @app.after_request
    def cache_static(response: Response) -> Response:
        if request.endpoint == "static" and response.status_code in (200, 304):
            filename = (request.view_args or {}).get("filename", "")
            if request.args.get("v") and request.args.get("v") == digest(filename):
                response.cache_control.public = True
                response.cache_control.max_age = YEAR
                response.cache_control.immutable = True
            else:
                response.cache_control.no_cache = True
                response.cache_control.max_age = None
        return response

    app.config.setdefault("COMPRESS_MIN_SIZE", 1024)
    # Level 6 of gzip and 4 of Brotli: most of the saving for a fraction of the CPU of the maximum.
    app.config.setdefault("COMPRESS_LEVEL", 6)
    app.config.setdefault("COMPRESS_BR_LEVEL", 4)
    compress.init_app(app)
