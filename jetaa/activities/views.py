"""A branch's activity log, one activity, the forms, the officers' review, photos and receipts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from babel.numbers import format_currency, get_territory_currencies
from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from jetaa.activities import services, uploads
from jetaa.activities.forms import ActivityForm, LogFilterForm, PhotoForm, ReceiptForm, ReviewForm
from jetaa.activities.models import (
    Activity,
    ActivityMember,
    ActivityPhoto,
    ActivityReceipt,
    ActivityStatus,
    Category,
    FundingSource,
)
from jetaa.activities.permissions import (
    can_edit_activity,
    can_log_activity,
    can_publish_activity,
    can_review_activity,
    can_review_branch,
    can_see_receipts,
    get_activity_or_404,
    hosted_by,
    visible_activities_clause,
)
from jetaa.auth.models import User
from jetaa.branches.models import Branch
from jetaa.branches.permissions import get_branch_or_404
from jetaa.core.actions import Refused, act
from jetaa.core.markdown import render_markdown
from jetaa.db import utcnow
from jetaa.events.models import EventStatus
from jetaa.events.permissions import can_edit_event, get_event_or_404
from jetaa.extensions import db
from jetaa.members.models import AlumniProfile
from jetaa.members.permissions import can_see_profile, owners_of, visible_profiles_clause
from jetaa.memberships.models import Membership, MembershipStatus
from jetaa.permissions import approved_branch_ids, is_admin

bp = Blueprint("activities", __name__)
PER_PAGE = 25
LOG_ARGS = ("q", "category", "year", "status", "funding")


# The log -------------------------------------------------------------------

# What a log lists of each activity (activities/_item.html): not its description, links and
# review columns, which the count of the log read too.
_LISTED = sa.orm.load_only(Activity.title, Activity.category, Activity.status, Activity.is_published,
                           Activity.starts_on, Activity.ends_on, Activity.city, Activity.is_online,
                           Activity.people_reached)

def _log_query(branch: Branch, form: LogFilterForm | None) -> sa.Select:
    """The log as the current user may see it, filtered by a valid form (None: unfiltered)."""
    query = (sa.select(Activity).where(hosted_by({branch.id}), visible_activities_clause(current_user))
             .options(_LISTED).order_by(Activity.starts_on.desc(), Activity.id.desc()))
    if form is None:
        return query
    if form.category.data:
        query = query.where(Activity.category == Category(form.category.data))
    if form.status.data:
        query = query.where(Activity.status == ActivityStatus(form.status.data))
    if form.funding.data:
        query = query.where(Activity.funding_source == FundingSource(form.funding.data))
    if form.year.data:
        # Dates, not strings: PostgreSQL has no date >= varchar (the year filter was a 500).
        query = query.where(Activity.starts_on.between(date(form.year.data, 1, 1),
                                                       date(form.year.data, 12, 31)))
    term = (form.q.data or "").strip()
    if term:
        query = query.where(sa.or_(Activity.title.icontains(term, autoescape=True),
                                   Activity.city.icontains(term, autoescape=True),
                                   Activity.description.icontains(term, autoescape=True)))
    return query


@bp.route("/branches/<slug>/activities")
def log(slug: str) -> tuple[str, int]:
    """The branch's activities: published ones for everyone, more for its members and officers."""
    branch = get_branch_or_404(slug)
    form = LogFilterForm(request.args)
    valid = form.validate()  # bad filters: the whole log, with the form's messages, and a 400
    page = db.paginate(_log_query(branch, form if valid else None),
                       page=request.args.get("page", 1, type=int), per_page=PER_PAGE,
                       error_out=False)
    args = {k: request.args[k] for k in LOG_ARGS if request.args.get(k)}
    return render_template("activities/log.html", branch=branch, form=form, page=page, args=args,
                           can_log=can_log_activity(current_user, branch),
                           can_review=can_review_branch(current_user, branch)), 200 if valid else 400


@bp.route("/branches/<slug>/activities/review")
@login_required
def review_queue(slug: str) -> str:
    """What the branch's officers have to review, oldest first."""
    branch = get_branch_or_404(slug, require=can_review_branch)
    waiting = db.session.scalars(
        sa.select(Activity).where(Activity.branch_id == branch.id,
                                  Activity.status == ActivityStatus.SUBMITTED)
        .options(sa.orm.joinedload(Activity.created_by))
        .order_by(Activity.submitted_at, Activity.id)).all()
    return render_template("activities/review.html", branch=branch, waiting=waiting,
                           form=ReviewForm())


# The form ------------------------------------------------------------------

def _choices(form: ActivityForm, branch: Branch, activity: Activity | None = None) -> None:
    """Co-hosts: the other branches the person belongs to (any, for admins). Members who
    can be named: those of the host branches whose profile the person may see."""
    others = sa.select(Branch).where(Branch.id != branch.id, Branch.active).order_by(Branch.name)
    if not is_admin(current_user):
        others = others.where(Branch.id.in_(sorted(approved_branch_ids(current_user))))
    form.cohosts.choices = [(b.id, b.name) for b in db.session.scalars(others)]
    kept = {b.id for b in activity.cohosts} if activity else set()
    form.cohosts.choices += [(b.id, b.name) for b in (activity.cohosts if activity else [])
                             if b.id not in {c for c, _name in form.cohosts.choices}]
    host_ids = {branch.id} | kept
    # An alias: the clause's own EXISTS over memberships must not correlate with this join.
    membership = sa.orm.aliased(Membership)
    people = db.session.execute(
        sa.select(User.id, User.name).join(membership, membership.user_id == User.id)
        .outerjoin(AlumniProfile, AlumniProfile.user_id == User.id)
        .where(membership.branch_id.in_(sorted(host_ids)),
               membership.status == MembershipStatus.APPROVED, User.deleted_at.is_(None),
               visible_profiles_clause(current_user, User.id, AlumniProfile.visibility,
                                       default="branches"))
        .group_by(User.id, User.name).order_by(User.name)).all()
    form.member_ids.choices = [(row.id, row.name) for row in people]


def _render_form(form: ActivityForm, branch: Branch, activity: Activity | None,
                 problem: str | None) -> str:
    return render_template("activities/form.html", form=form, branch=branch, activity=activity,
                           problem=problem, partners=services.partner_suggestions(branch))


@bp.route("/branches/<slug>/activities/new", methods=["GET", "POST"])
@login_required
def new(slug: str) -> Response | str:
    """Log an activity; `?event=<id>` fills the form from a past event of the branch."""
    branch = get_branch_or_404(slug, require=can_log_activity)
    form = ActivityForm(currency=_currency_of(branch), country=branch.country)
    _choices(form, branch)
    event_id = request.args.get("event", type=int)
    if event_id is not None:  # only an editor of the event may log it (GET and POST)
        event = get_event_or_404(event_id, require=can_edit_event)
        if branch.id not in event.host_branch_ids or event.ends_at > utcnow() \
                or event.status != EventStatus.PUBLISHED:
            abort(404)  # not a past event of this branch
        if request.method == "GET":
            _fill(form, services.data_from_event(event))
    problem = None
    if form.validate_on_submit():
        data = form.data_object()
        data.event_id = event_id
        try:
            activity = services.create_activity(branch, data, actor=current_user)
        except Refused as refusal:
            db.session.rollback()
            problem = str(refusal)
        else:
            db.session.commit()
            flash(_("The activity is saved as a draft. Add photos, then submit it for review."),
                  "success")
            return redirect(url_for("activities.show", activity_id=activity.id))
    return _render_form(form, branch, None, problem)


def _currency_of(branch: Branch) -> str:
    currencies = get_territory_currencies(branch.country) if branch.country else []
    return currencies[0] if currencies else "USD"


def _fill(form: ActivityForm, data: services.ActivityData) -> None:
    form.title.data, form.category.data = data.title, str(data.category)
    form.starts_on.data, form.ends_on.data = data.starts_on, data.ends_on
    form.city.data, form.country.data, form.is_online.data = data.city, data.country, data.is_online
    form.description.data, form.people_reached.data = data.description, data.people_reached
    form.cohosts.data = data.cohost_ids


def _fill_from(form: ActivityForm, activity: Activity) -> None:
    form.category.data = activity.category.value
    form.volunteer_hours.data = Decimal(activity.volunteer_tenths) / 10
    form.money_raised.data = services.major_units(activity.money_raised, activity.currency)
    form.money_spent.data = services.major_units(activity.money_spent, activity.currency)
    form.funding_source.data = activity.funding_source.value if activity.funding_source else ""
    form.partners.data = "\n".join(p.name for p in activity.partners)
    form.member_ids.data = [m.user_id for m in activity.members]
    form.cohosts.data = [b.id for b in activity.cohosts]
    if activity.ends_on == activity.starts_on:
        form.ends_on.data = None


@bp.route("/activities/<id:activity_id>/edit", methods=["GET", "POST"])
@login_required
def edit(activity_id: int) -> Response | str:
    activity = get_activity_or_404(activity_id, require=can_edit_activity)
    # The form holds major units and hours; the object minor units and tenths: only a
    # GET starts from the object (a POST missing a field must not read a column as-is).
    form = ActivityForm(obj=activity) if request.method == "GET" else ActivityForm()
    _choices(form, activity.branch, activity)
    if request.method == "GET":
        _fill_from(form, activity)
    problem = None
    if form.validate_on_submit():
        was_verified = activity.status == ActivityStatus.VERIFIED
        try:
            changed = services.update_activity(activity, form.data_object(), actor=current_user)
        except Refused as refusal:
            db.session.rollback()
            problem = str(refusal)
        else:
            db.session.commit()
            flash(_("The activity is saved. It goes back to the officers for review.")
                  if was_verified and changed else _("The activity is saved."), "success")
            return redirect(url_for("activities.show", activity_id=activity.id))
    return _render_form(form, activity.branch, activity, problem)


# One activity --------------------------------------------------------------

@bp.route("/activities/<id:activity_id>")
def show(activity_id: int) -> str:
    activity = get_activity_or_404(activity_id)
    members = db.session.scalars(sa.select(ActivityMember).where(
        ActivityMember.activity_id == activity.id).options(sa.orm.joinedload(ActivityMember.user))
    ).all()
    # Names as the privacy gate allows: the people named, and who logged it.
    owners = owners_of([m.user_id for m in members] + [activity.created_by_id or 0])
    named = [m for m in members
             if not m.hidden and m.user_id in owners and can_see_profile(current_user, owners[m.user_id])]
    mine = next((m for m in members
                 if current_user.is_authenticated and m.user_id == current_user.id), None)
    author = activity.created_by if activity.created_by_id in owners and can_see_profile(
        current_user, owners[activity.created_by_id]) else None
    return render_template(
        "activities/show.html", activity=activity, named=named, mine=mine, author=author,
        description=render_markdown(activity.description),
        review_form=ReviewForm(version=services.version_of(activity)),
        photo_form=PhotoForm(), receipt_form=ReceiptForm(),
        can_edit=can_edit_activity(current_user, activity),
        can_review=can_review_activity(current_user, activity),
        can_publish=can_publish_activity(current_user, activity),
        receipts=can_see_receipts(current_user, activity),
        value=_money(activity))


def _money(activity: Activity) -> dict[str, str]:
    locale = str(get_locale() or "en")
    return {name: format_currency(services.major_units(getattr(activity, name), activity.currency),
                                  activity.currency, locale=locale)
            for name in ("money_raised", "money_spent")}


def _back(activity: Activity) -> str:
    return url_for("activities.show", activity_id=activity.id)


@bp.post("/activities/<id:activity_id>/submit")
@login_required
def submit(activity_id: int) -> Response:
    activity = get_activity_or_404(activity_id, require=can_edit_activity)
    return act(lambda: services.submit_activity(activity, actor=current_user), done=_back(activity),
               back=_back(activity), success=_("Submitted: the branch's officers will review it."))


@bp.post("/activities/<id:activity_id>/review")
@login_required
def review(activity_id: int) -> Response:
    """Verify, ask for changes (the author is e-mailed) or reject."""
    activity = get_activity_or_404(activity_id, require=can_review_activity)
    form = ReviewForm()
    queue = url_for("activities.review_queue", slug=activity.branch.slug)
    if not form.validate_on_submit():
        flash(_("Choose a decision."), "error")
        return redirect(_back(activity))
    comment = form.comment.data or ""
    decisions = {
        "verify": (services.verify_activity, _("Verified: it counts in the reports.")),
        "changes": (services.request_changes, _("Sent back to the author with your comment.")),
        "reject": (services.reject_activity, _("Rejected.")),
    }
    decide, message = decisions[form.decision.data]
    return act(lambda: decide(activity, comment, actor=current_user,
                              version=form.version.data or None),
               done=queue, back=_back(activity), success=message)


@bp.post("/activities/<id:activity_id>/<any(publish, unpublish):action>")
@login_required
def publish(activity_id: int, action: str) -> Response:
    activity = get_activity_or_404(activity_id, require=can_publish_activity)
    return act(lambda: services.set_published(activity, action == "publish", actor=current_user),
               done=_back(activity), back=_back(activity),
               success=_("It shows on the branch's public page.") if action == "publish"
               else _("It no longer shows on the branch's public page."))


@bp.post("/activities/<id:activity_id>/named")
@login_required
def named(activity_id: int) -> Response:
    """A member listed in the activity chooses whether their name shows."""
    activity = get_activity_or_404(activity_id)
    show_name = request.form.get("named") == "1"
    return act(lambda: services.set_named(activity, current_user, show_name), done=_back(activity),
               back=_back(activity), success=_("Your name shows among the members who took part.")
               if show_name else _("Your name is no longer shown."))


@bp.post("/activities/<id:activity_id>/delete")
@login_required
def delete(activity_id: int) -> Response:
    activity = get_activity_or_404(activity_id, require=can_edit_activity)
    log_page = url_for("activities.log", slug=activity.branch.slug)
    return act(lambda: services.delete_draft(activity, actor=current_user), done=log_page,
               back=_back(activity), success=_("The draft is deleted."))


# Photos and receipts -------------------------------------------------------

def _upload(activity: Activity, form: Any, store: Any, success: str) -> Response:
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(str(e) for e in errors), "error")
        return redirect(_back(activity))
    return act(store, done=_back(activity), back=_back(activity), success=success)


@bp.post("/activities/<id:activity_id>/photos")
@login_required
def add_photo(activity_id: int) -> Response:
    activity = get_activity_or_404(activity_id, require=can_edit_activity)
    form = PhotoForm()
    return _upload(activity, form, lambda: services.add_photo(
        activity, form.photo.data, form.caption.data or "", in_report=bool(form.in_report.data),
        actor=current_user), _("The photo is added.") if activity.status != ActivityStatus.VERIFIED
        else _("The photo is added. The activity goes back to the officers for review."))


def _file_or_404(model: type[ActivityPhoto] | type[ActivityReceipt], activity: Activity,
                 file_id: int) -> Any:
    """A photo or receipt of this activity (one of another activity is a 404 here)."""
    item = db.session.get(model, file_id)
    if item is None or item.activity_id != activity.id:
        abort(404)
    return item


@bp.route("/activities/<id:activity_id>/photos/<id:photo_id>")
def photo(activity_id: int, photo_id: int) -> Response:
    """The photo (`?thumb=1`: its thumbnail), for whoever may see the activity."""
    item = _file_or_404(ActivityPhoto, get_activity_or_404(activity_id), photo_id)
    path = uploads.photo_path(item, thumb=request.args.get("thumb") == "1")
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=item.content_type, max_age=3600, conditional=True)
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.post("/activities/<id:activity_id>/photos/<id:photo_id>/delete")
@login_required
def delete_photo(activity_id: int, photo_id: int) -> Response:
    activity = get_activity_or_404(activity_id, require=can_edit_activity)
    item = _file_or_404(ActivityPhoto, activity, photo_id)
    return act(lambda: services.remove_photo(activity, item, actor=current_user),
               done=_back(activity), back=_back(activity), success=_("The photo is removed."))


@bp.post("/activities/<id:activity_id>/receipts")
@login_required
def add_receipt(activity_id: int) -> Response:
    activity = get_activity_or_404(activity_id, require=can_edit_activity)
    form = ReceiptForm()
    return _upload(activity, form, lambda: services.add_receipt(
        activity, form.receipt.data, form.receipt.data.filename or "", actor=current_user),
        _("The receipt is attached. Only officers and admins can open it."))


@bp.route("/activities/<id:activity_id>/receipts/<id:receipt_id>")
@login_required
def receipt(activity_id: int, receipt_id: int) -> Response:
    activity = get_activity_or_404(activity_id, require=can_see_receipts)
    item = _file_or_404(ActivityReceipt, activity, receipt_id)
    path = uploads.receipt_path(item)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=item.content_type, as_attachment=True,
                         download_name=item.filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/activities/<id:activity_id>/receipts/<id:receipt_id>/delete")
@login_required
def delete_receipt(activity_id: int, receipt_id: int) -> Response:
    activity = get_activity_or_404(activity_id, require=can_see_receipts)
    item = _file_or_404(ActivityReceipt, activity, receipt_id)
    return act(lambda: services.remove_receipt(activity, item, actor=current_user),
               done=_back(activity), back=_back(activity), success=_("The receipt is removed."))
