"""The directory's JSON API: the same search and the same privacy gates as the pages."""

from typing import Any

from flask import Blueprint, abort, jsonify, url_for
from flask_login import current_user

from jetaa.members.directory_views import read_search
from jetaa.members.permissions import can_use_directory
from jetaa.members.services.directory import search_members
from jetaa.members.services.viewing import entry_as_json, member_view
from jetaa.permissions import require

bp = Blueprint("api", __name__, url_prefix="/api")
# Errors answer JSON under /api/ (jetaa.core.errors): {"error", "message", "status"}.


def _require_directory() -> None:
    if not current_user.is_authenticated:
        abort(401, description="Log in first.")
    require(can_use_directory(current_user))


@bp.route("/directory")
def directory() -> Any:
    """GET /api/directory?q=...&page=... (the same filters as /directory)."""
    _require_directory()
    form, filters, page = read_search(None)
    if form.errors:
        # The same shape as every other API error (jetaa.core.errors), plus the fields.
        return jsonify(error="Bad request", message="Invalid filters.", status=400,
                       fields=form.errors), 400
    results = search_members(current_user, filters, page=page)
    return jsonify(
        page=results.page, pages=results.pages, total=results.total,
        filters=filters.query_args(),
        members=[entry_as_json(e) | {"url": url_for("api.member", user_id=e.user.id)}
                 for e in results.items],
    )


@bp.route("/members/<id:user_id>")
def member(user_id: int) -> Any:
    _require_directory()
    view = member_view(current_user, user_id)
    if view is None:
        abort(404, description="No such member, or not visible to you.")
    return jsonify(entry_as_json(view.entry, contact=view.show_contact, detail=True))
