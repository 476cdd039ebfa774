"""The member directory: federation-wide and per branch (directory blueprint)."""

from typing import Any

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from jetaa import permissions
from jetaa.branches.models import Branch
from jetaa.members import choices
from jetaa.members.forms import DirectorySearchForm
from jetaa.members.services.directory import DirectoryFilters, DirectoryPage, search_members

bp = Blueprint("directory", __name__)


def run_search(branch: Branch | None) -> tuple[DirectorySearchForm, DirectoryFilters,
                                               DirectoryPage]:
    """Read the query string, search, and give back the form (with its errors)."""
    form = DirectorySearchForm(request.args, branch_filter=branch is None)
    form.validate()
    filters = DirectoryFilters(**form.filters())
    page = request.args.get("page", 1, type=int) or 1
    return form, filters, search_members(current_user, filters, page=page, branch=branch)


def _render(branch: Branch | None, endpoint_args: dict[str, Any]) -> str:
    form, filters, results = run_search(branch)
    return render_template("members/directory.html", branch=branch, form=form,
                           filters=filters, results=results,
                           page_args={**endpoint_args, **filters.query_args()},
                           country_names=choices.country_names(),
                           industry_names=choices.industry_names())


@bp.route("/directory")
@login_required
def index() -> str:
    """Every member the viewer may see, across the federation."""
    permissions.require(permissions.can_use_directory(current_user))
    return _render(None, {})


@bp.route("/branches/<slug>/members")
@login_required
def branch_members(slug: str) -> str:
    branch = permissions.get_branch_or_404(slug)
    permissions.require(permissions.can_use_branch_directory(current_user, branch))
    return _render(branch, {"slug": slug})
