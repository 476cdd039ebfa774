"""The member directory: federation-wide and per branch (directory blueprint)."""

from dataclasses import replace
from typing import Any

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required
from markupsafe import Markup

from jetaa.branches.models import Branch
from jetaa.branches.permissions import get_branch_or_404
from jetaa.members import choices
from jetaa.members.forms import DirectorySearchForm
from jetaa.members.permissions import can_use_branch_directory, can_use_directory
from jetaa.members.services.directory import DirectoryFilters, search_members
from jetaa.members.services.spelling import corrected
from jetaa.permissions import require

bp = Blueprint("directory", __name__)


def read_search(branch: Branch | None) -> tuple[DirectorySearchForm, DirectoryFilters, int]:
    """The query string's search: the form (with its errors), the filters, the page."""
    form = DirectorySearchForm(request.args, branch_filter=branch is None)
    form.validate()
    return form, DirectoryFilters(**form.filters()), request.args.get("page", 1, type=int) or 1


def _content(branch: Branch | None, endpoint_args: dict[str, Any]) -> str:
    """The page's content (count, search form, cards, page links) for the current viewer."""
    form, filters, page = read_search(branch)
    results = search_members(current_user, filters, page=page, branch=branch)
    instead = corrected(filters.q) if filters.q and not results.total else None
    if instead:  # a typo? shown only when the corrected search finds someone
        second = search_members(current_user, replace(filters, q=instead), page=page,
                                branch=branch)
        results, instead = (second, instead) if second.total else (results, None)
    return render_template("members/_directory.html", branch=branch, form=form,
                           filters=filters, results=results, instead=instead,
                           page_args={**endpoint_args, **filters.query_args()},
                           country_names=choices.country_names(),
                           industry_names=choices.industry_names())


def _render(branch: Branch | None, endpoint_args: dict[str, Any]) -> str:
    content = _content(branch, endpoint_args)
    return render_template("members/directory.html", branch=branch,
                           content=Markup(content))  # noqa: S704


@bp.route("/directory")
@login_required
def index() -> str:
    """Every member the viewer may see, across the federation."""
    require(can_use_directory(current_user))
    return _render(None, {})


@bp.route("/branches/<slug>/members")
@login_required
def branch_members(slug: str) -> str:
    branch = get_branch_or_404(slug, require=can_use_branch_directory)
    return _render(branch, {"slug": slug})
