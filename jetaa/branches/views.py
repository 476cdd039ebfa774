"""Public branch pages and the officers' branch settings."""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.wrappers import Response

from jetaa import permissions
from jetaa.activities.services import published_activities
from jetaa.branches import services
from jetaa.branches.forms import BranchForm, BranchSearchForm
from jetaa.branches.permissions import can_manage_branch, get_branch_or_404
from jetaa.core.cache import cached, key_of
from jetaa.events.queries import upcoming
from jetaa.extensions import db
from jetaa.memberships.services import officers_of
from jetaa.reference import cycle

bp = Blueprint("branches", __name__, url_prefix="/branches")


@bp.route("")
def index() -> str:
    """Every branch, grouped by country, with a search box."""
    form = BranchSearchForm(request.args)
    term = (form.q.data if form.validate() else "") or ""
    if term:
        body = _branch_list(term)
    else:  # the list everybody sees, the same for all: kept for CACHE_TTL per language
        body = cached(key_of("branches:list", get_locale()), lambda: _branch_list(""))
    return render_template("branches/index.html", form=form, body=Markup(body))  # noqa: S704


def _branch_list(term: str) -> str:
    summaries = services.list_branches(term)
    return render_template("branches/_list.html", term=term, total=len(summaries),
                           groups=services.group_by_country(summaries))


@bp.route("/<slug>")
def show(slug: str) -> str:
    branch = get_branch_or_404(slug)
    return render_template(
        "branches/show.html",
        branch=branch,
        member_count=services.member_count(branch),
        officers=officers_of(branch),
        membership=permissions.membership_in(current_user, branch),
        upcoming_events=upcoming(current_user, branch),
        activities=published_activities(branch),
        recruitment=cycle.now_and_next(branch.country, date.today()) if branch.active else [],
    )


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str) -> Response | str:
    branch = get_branch_or_404(slug, require=can_manage_branch)
    form = BranchForm(obj=branch)
    if request.method == "GET":
        form.join_policy.data = branch.join_policy.value
    if form.validate_on_submit():
        services.update_branch(branch, form.changes(), actor=current_user)
        db.session.commit()
        flash(_("The branch details are saved."), "success")
        return redirect(url_for("branches.show", slug=branch.slug))
    return render_template("branches/edit.html", branch=branch, form=form)
