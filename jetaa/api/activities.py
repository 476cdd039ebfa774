"""Branch activities (jetaa/activities/): the log as the user may see it; with a write
token, logging one, submitting it and reviewing it, with the activities service's rules."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from jetaa.activities import services
from jetaa.activities.models import Activity
from jetaa.activities.permissions import (
    can_edit_activity,
    can_log_activity,
    can_review_activity,
    get_activity_or_404,
    hosted_by,
    visible_activities_clause,
)
from jetaa.api import schemas
from jetaa.api.auth import sign_in_first, signed_in_user
from jetaa.api.document import TOKEN, errors
from jetaa.api.models import Scope
from jetaa.api.paging import envelope, paginate
from jetaa.branches.permissions import get_branch_or_404
from jetaa.core.actions import Refused
from jetaa.core.urls import external_url
from jetaa.extensions import db

bp = Blueprint("api_activities", __name__, url_prefix="/api/v1",
               description="Branch activities: the log as you may see it; logging, "
                           "submitting and reviewing with a write token.")


def activity_data(activity: Activity, *, detail: bool = False) -> dict[str, Any]:
    data = {"id": activity.id, "title": activity.title, "category": activity.category.value,
            "status": activity.status.value, "published": activity.is_published,
            "branch": {"slug": activity.branch.slug, "name": activity.branch.name},
            "starts_on": activity.starts_on, "ends_on": activity.ends_on, "city": activity.city,
            "online": activity.is_online, "people_reached": activity.people_reached,
            "url": external_url("activities.show", activity_id=activity.id)}
    if detail:
        currency = activity.currency
        data.update(
            description=activity.description, country=activity.country,
            volunteers=activity.volunteers, volunteer_hours=str(activity.volunteer_tenths / 10),
            members_involved=activity.members_involved, currency=currency,
            money_raised=str(services.major_units(activity.money_raised, currency)),
            money_spent=str(services.major_units(activity.money_spent, currency)),
            review_comment=activity.review_comment, version=services.version_of(activity))
    return data


def _refused(refusal: Refused, status: int = 409) -> None:
    db.session.rollback()
    abort(status, description=str(refusal))


@bp.route("/branches/<slug>/activities")
class Activities(MethodView):
    @bp.arguments(schemas.PageArgs(), location="query", as_kwargs=True)
    @bp.response(200, schemas.paged("ActivityPage", schemas.Activity))
    @errors(bp, 404, 422, 429)
    def get(self, slug: str, page: int, per_page: int) -> dict[str, Any]:
        """The branch's activity log, latest first: published ones for everyone; with a
        token, what its member may see on the log page (drafts of their own, the review
        queue for officers)."""
        branch = get_branch_or_404(slug)
        query = (sa.select(Activity).options(sa.orm.joinedload(Activity.branch))
                 .where(hosted_by({branch.id}), visible_activities_clause(current_user))
                 .order_by(Activity.starts_on.desc(), Activity.id.desc()))
        rows, total = paginate(query, page=page, per_page=per_page)
        return envelope([activity_data(a) for a in rows], page=page, per_page=per_page,
                        total=total)

    @sign_in_first
    @bp.arguments(schemas.ActivityRequest())
    @bp.response(201, schemas.ActivityDetail, description="saved as a draft")
    @errors(bp, 401, 403, 404, 422, 429, security=TOKEN)
    def post(self, body: dict[str, Any], slug: str) -> tuple[dict[str, Any], int]:
        """Log an activity of the branch (its approved members and admins), as a draft."""
        user = signed_in_user(Scope.WRITE)
        branch = get_branch_or_404(slug, require=can_log_activity)
        data = services.ActivityData(**{**body, "ends_on": body.get("ends_on")
                                        or body["starts_on"]})
        try:
            activity = services.create_activity(branch, data, actor=user)
        except Refused as refusal:
            _refused(refusal, 422)
        db.session.commit()
        return activity_data(activity, detail=True), 201


@bp.route("/activities/<id:activity_id>/submit")
class Submit(MethodView):
    @sign_in_first
    @bp.response(200, schemas.ActivityDetail, description="waiting for an officer's review")
    @errors(bp, 401, 403, 404, 409, 429, security=TOKEN)
    def post(self, activity_id: int) -> dict[str, Any]:
        """The author sends the draft (or the changed entry) to the branch's officers."""
        user = signed_in_user(Scope.WRITE)
        activity = get_activity_or_404(activity_id, require=can_edit_activity)
        try:
            services.submit_activity(activity, actor=user)
        except Refused as refusal:
            _refused(refusal)
        db.session.commit()
        return activity_data(activity, detail=True)


DECISIONS = {"verify": services.verify_activity, "changes": services.request_changes,
             "reject": services.reject_activity}


@bp.route("/activities/<id:activity_id>/review")
class Review(MethodView):
    @sign_in_first
    @bp.arguments(schemas.ReviewRequest())
    @bp.response(200, schemas.ActivityDetail, description="decided")
    @errors(bp, 401, 403, 404, 409, 422, 429, security=TOKEN)
    def post(self, body: dict[str, Any], activity_id: int) -> dict[str, Any]:
        """Verify, ask for changes (with a comment: the author is e-mailed) or reject; never
        one's own entry (the branch's officers and admins)."""
        user = signed_in_user(Scope.WRITE)
        activity = get_activity_or_404(activity_id, require=can_review_activity)
        try:
            DECISIONS[body["decision"]](activity, body["comment"], actor=user,
                                        version=body["version"] or None)
        except Refused as refusal:
            _refused(refusal)
        db.session.commit()
        return activity_data(activity, detail=True)
