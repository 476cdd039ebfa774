"""The JSON API as the app sees it: the OpenAPI document, its blueprints, tokens, CORS."""

from __future__ import annotations

from flask import Flask
from flask_cors import CORS
from flask_smorest import Api

from jetaa.api import (
    activities,
    auth,
    branches,
    docs,
    limits,
    me,
    members,
    outreach,
    public,
    settings_views,
)
from jetaa.api.permissions import can_create_token
from jetaa.api.schemas import ApiError
from jetaa.core.urls import MAX_ID, RowId
from jetaa.extensions import csrf

# Only the public reads may be called from other sites' pages; a browser never sends the
# site's cookies with them (no credentials) and not the Authorization header either.
PUBLIC_READS = (r"^/api/v1/(openapi\.json|branches(/[^/]+)?|branches/[^/]+/activity-totals"
                r"|events(/[0-9]+)?)$")
API_SETTINGS = {
    "API_TITLE": "JETAA Connect API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
}
DESCRIPTION = """\
The JSON API of JETAA Connect: branches and public events for anyone; with a personal access
token (created in your account's settings, under "API tokens"), what your account may see and
do on the site, with exactly the same permissions.

* Send the token as `Authorization: Bearer jetaa_...`. A token with the `read` scope reads;
  one with `write` also changes (RSVPs, activities, requests and volunteers).
* Errors: `{"error": {"code": "not_found", "message": "...", "fields": {}}}` with the HTTP
  status (401 no or bad token, 403 not allowed, 404, 405, 409 refused, 400/422 invalid input
  with `fields`, 429 rate limit).
* Lists are paginated: `?page=` and `?per_page=` (at most 100), with `links`.
* Times are ISO 8601 with their offset. Public reads carry an `ETag`: send it back in
  `If-None-Match` for a 304. `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`
  (seconds) come with every answer, `Retry-After` with a 429.
"""


class JsonApi(Api):
    """flask-smorest documents every error with our one error shape (jetaa/api/errors.py)."""

    ERROR_SCHEMA = ApiError


# The documentation's sections: flask-smorest names them after the blueprints.
TAGS = {"api_public": "Public", "api_members": "Directory", "api_me": "Me",
        "api_branches": "Officers", "api_activities": "Activities", "api_outreach": "Outreach"}


def _name_tags(api: Api) -> None:
    """Readable section names (apispec keeps tags and operations in these two attributes;
    tests/api/test_conventions.py checks the document's tags)."""
    for tag in api.spec._tags:
        tag["name"] = TAGS.get(tag["name"], tag["name"])
    for operations in api.spec._paths.values():
        for operation in operations.values():
            if isinstance(operation, dict) and "tags" in operation:
                operation["tags"] = [TAGS.get(name, name) for name in operation["tags"]]


def init_app(app: Flask) -> None:
    for name, value in API_SETTINGS.items():
        app.config.setdefault(name, value)
    api = JsonApi(app, spec_kwargs={"info": {"description": DESCRIPTION}})
    api.register_converter(RowId, lambda _c: {"type": "integer", "minimum": 1,
                                              "maximum": MAX_ID})
    api.spec.components.security_scheme(
        "token", {"type": "http", "scheme": "bearer",
                  "description": "a personal access token, jetaa_..."})
    for blueprint in (public.bp, members.bp, me.bp, branches.bp, activities.bp, outreach.bp):
        api.register_blueprint(blueprint)
        csrf.exempt(blueprint)  # no cookie acts on a write here (jetaa/api/auth.py)
    _name_tags(api)
    app.register_blueprint(docs.bp)
    app.register_blueprint(settings_views.bp)
    CORS(app, resources={PUBLIC_READS: {"origins": "*", "methods": ["GET", "HEAD", "OPTIONS"],
                                        "allow_headers": ["If-None-Match"],
                                        "expose_headers": ["ETag", "RateLimit-Limit",
                                                           "RateLimit-Remaining",
                                                           "RateLimit-Reset", "Retry-After"],
                                        "max_age": 86400, "send_wildcard": True}})
    # Before the security gate (registered later): the token's member is current_user.
    app.before_request(auth.authenticate)
    app.before_request(limits.count_request)
    app.after_request(limits.add_headers)
    app.add_template_global(can_create_token)
