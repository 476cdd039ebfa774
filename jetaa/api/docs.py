"""The API's documentation page (ReDoc, vendored in static/) and the old JSON addresses."""

from __future__ import annotations

from flask import Blueprint, make_response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

REDOC = "vendor/redoc-2.5.2/redoc.standalone.js"

bp = Blueprint("api_docs", __name__)


@bp.route("/api/v1/docs")
def docs() -> Response:
    """ReDoc drawing /api/v1/openapi.json: it styles itself with inline styles and searches in
    a worker, which this page alone allows (scripts still come only from this site)."""
    response = make_response(render_template("api/docs.html", redoc=REDOC))
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; worker-src 'self' blob:; font-src 'self' data:; "
        "frame-ancestors 'self'; form-action 'none'; object-src 'none'; base-uri 'none'")
    return response


# The JSON addresses from before /api/v1/: a 308 keeps the method and says "moved for good".

def _moved(endpoint: str, **values: object) -> Response:
    query = request.query_string.decode()
    target = url_for(endpoint, **values)
    return redirect(f"{target}?{query}" if query else target, code=308)


@bp.route("/api/directory")
def old_directory() -> Response:
    return _moved("api_members.Directory")


@bp.route("/api/members/<id:user_id>")
def old_member(user_id: int) -> Response:
    return _moved("api_members.Member", user_id=user_id)


@bp.route("/branches/<slug>/events.json")
def old_widget_json(slug: str) -> Response:
    return _moved("api_public.Events", branch=slug)
