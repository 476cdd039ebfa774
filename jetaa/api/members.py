"""With a token (or a signed-in browser): the directory, with the web directory's rules."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint

from jetaa.api import schemas
from jetaa.api.auth import sign_in_first, signed_in_user
from jetaa.api.document import TOKEN
from jetaa.api.paging import envelope
from jetaa.core.urls import external_url
from jetaa.members.directory_views import read_search
from jetaa.members.permissions import can_use_directory
from jetaa.members.services.directory import PER_PAGE, search_members
from jetaa.members.services.viewing import entry_as_json, member_view
from jetaa.permissions import require

bp = Blueprint("api_members", __name__, url_prefix="/api/v1",
               description="The directory: the members you may see on the site, and only "
                           "the fields you may see. 25 a page.")


def _directory_reader() -> Any:
    user = signed_in_user()
    require(can_use_directory(user))
    return user


@bp.route("/directory")
class Directory(MethodView):
    @sign_in_first
    @bp.doc(security=TOKEN)
    @bp.arguments(schemas.DirectoryArgs(), location="query")
    @bp.response(200, schemas.DirectoryPage)
    @bp.alt_response(400, schema=schemas.ApiError, description="a filter not offered")
    @bp.alt_response(401, schema=schemas.ApiError)
    @bp.alt_response(403, schema=schemas.ApiError)
    @bp.alt_response(422, schema=schemas.ApiError)
    @bp.alt_response(429, schema=schemas.ApiError)
    def get(self, _args: dict[str, Any]) -> Any:
        """Search the directory as /directory does (the same filters and privacy)."""
        user = _directory_reader()
        form, filters, page = read_search(None)
        if form.errors:
            _bad_filters(form.errors)
        results = search_members(user, filters, page=page)
        items = [entry_as_json(e) | {"url": external_url("api_members.Member", user_id=e.user.id)}
                 for e in results.items]
        return envelope(items, page=results.page, per_page=PER_PAGE,
                        total=results.total) | {"filters": filters.query_args()}


def _bad_filters(errors: dict[str, list[str]]) -> None:
    from werkzeug.exceptions import BadRequest

    error = BadRequest(description=_("Some filters are not valid: see the fields."))
    error.data = {"messages": {"query": {name: [str(m) for m in messages]
                                         for name, messages in errors.items()}}}
    raise error


@bp.route("/members/<id:user_id>")
class Member(MethodView):
    @sign_in_first
    @bp.doc(security=TOKEN)
    @bp.response(200, schemas.MemberDetail)
    @bp.alt_response(401, schema=schemas.ApiError)
    @bp.alt_response(403, schema=schemas.ApiError)
    @bp.alt_response(404, schema=schemas.ApiError)
    @bp.alt_response(429, schema=schemas.ApiError)
    def get(self, user_id: int) -> Any:
        """One member's profile, as their profile page shows it to you."""
        user = _directory_reader()
        view = member_view(user, user_id)
        if view is None:
            abort(404, description=_("No such member, or not visible to you."))
        return entry_as_json(view.entry, contact=view.show_contact, detail=True)
