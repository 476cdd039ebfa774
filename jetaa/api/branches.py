"""With a token: a branch's roster and an event's attendees for its officers. For anyone:
a branch's activity totals (its published activities; every verified one for those its
impact dashboard is open to)."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from jetaa.activities import figures, periods
from jetaa.activities.permissions import can_see_branch_impact
from jetaa.activities.services import major_units
from jetaa.api import schemas
from jetaa.api.auth import sign_in_first, signed_in_user
from jetaa.api.document import TOKEN, TOKEN_OR_NONE, errors
from jetaa.api.paging import envelope, paginate
from jetaa.api.public import event_data
from jetaa.branches.permissions import can_manage_branch, get_branch_or_404
from jetaa.events.permissions import can_edit_event, get_event_or_404
from jetaa.events.queries import attendee_rows
from jetaa.memberships.roster import roster_members

bp = Blueprint("api_branches", __name__, url_prefix="/api/v1",
               description="Branch officers' lists and a branch's activity totals, with a token.")


@bp.route("/branches/<slug>/roster")
class Roster(MethodView):
    @sign_in_first
    @bp.arguments(schemas.PageArgs(), location="query", as_kwargs=True)
    @bp.response(200, schemas.paged("RosterPage", schemas.RosterMember))
    @errors(bp, 401, 403, 404, 422, 429, security=TOKEN)
    def get(self, slug: str, page: int, per_page: int) -> dict[str, Any]:
        """The branch's members as its roster page lists them, officers first (its officers
        and admins)."""
        signed_in_user(token_only=True)
        branch = get_branch_or_404(slug, require=can_manage_branch)
        rows, total = paginate(roster_members(branch), page=page, per_page=per_page)
        items = [{"id": m.user_id, "name": m.user.name, "role": m.role.value,
                  "status": m.status.value, "primary": m.is_primary, "joined_at": m.created_at}
                 for m in rows]
        return envelope(items, page=page, per_page=per_page, total=total)


@bp.route("/events/<id:event_id>/attendees")
class Attendees(MethodView):
    @sign_in_first
    @bp.response(200, schemas.AttendeeList)
    @errors(bp, 401, 403, 404, 429, security=TOKEN)
    def get(self, event_id: int) -> dict[str, Any]:
        """Everyone who answered the event, as its attendees page shows them to its editors
        (profile and contact fields only as each member allows)."""
        user = signed_in_user(token_only=True)
        event = get_event_or_404(event_id, require=can_edit_event)
        return {"event": event_data(event), "items": [
            {"name": row["name"], "status": row["rsvp"].status.value,
             "guests": row["rsvp"].guests, "email": row["email"], "jet_role": row["jet_role"],
             "years": row["years"], "attended": row["rsvp"].attended}
            for row in attendee_rows(user, event)]}


def _money(amounts: dict[str, int]) -> list[dict[str, str]]:
    return [{"currency": currency, "amount": str(major_units(amount, currency))}
            for currency, amount in sorted(amounts.items())]


@bp.route("/branches/<slug>/activity-totals")
class ActivityTotals(MethodView):
    @bp.arguments(schemas.TotalsArgs(), location="query", as_kwargs=True)
    @bp.response(200, schemas.ActivityTotals)
    @bp.alt_response(400, schema=schemas.ApiError, description="a period that cannot be shown")
    @errors(bp, 401, 404, 422, 429, security=TOKEN_OR_NONE)
    def get(self, slug: str, from_: Any = None, to: Any = None) -> dict[str, Any]:
        """The branch's activities in a period. For everyone: those its branch published
        (`counted: published`). For those its impact dashboard is open to (its members, its
        mission's staff, admins), every verified one, as the dashboard counts them
        (`counted: verified`)."""
        branch = get_branch_or_404(slug)
        try:
            period = periods.parse_period(from_ and from_.isoformat(), to and to.isoformat())
        except periods.BadPeriod as error:
            abort(400, description=str(error))
        scope = figures.Scope.branch(branch)
        dashboard = can_see_branch_impact(current_user, branch)
        totals = (figures.totals if dashboard else figures.published_totals)(scope, period)
        return {"branch": {"slug": branch.slug, "name": branch.name}, "start": period.start,
                "end": period.end, "counted": "verified" if dashboard else "published",
                "activities": totals.activities,
                "people_reached": totals.people, "volunteer_hours": str(totals.hours),
                "members_involved": totals.members, "money_raised": _money(totals.raised),
                "money_spent": _money(totals.spent)}
