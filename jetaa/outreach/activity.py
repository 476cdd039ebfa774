"""A completed request in the activity dashboards, entered once.

When staff record a request's outcome, the branches whose members attended
get one verified, published "JET recruitment support" activity: hosted by
the branch that sent the most volunteers, co-hosted by the others, with the
volunteers, their hours and the people reached. Recording the outcome again
updates that same activity (the request keeps its id); with nobody attended
there is none.
"""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa
from babel.numbers import get_territory_currencies

from jetaa.activities.models import Activity, ActivityStatus, Category
from jetaa.audit.services import record
from jetaa.auth.models import User
from jetaa.branches.models import Branch
from jetaa.db import utcnow
from jetaa.events.times import to_local
from jetaa.extensions import db
from jetaa.outreach.models import VolunteerOffer, VolunteerRequest


def currency_of(country: str) -> str:
    """The country's currency (money on a recruitment activity is 0, but reports group by it)."""
    currencies = get_territory_currencies(country) if country else []
    return currencies[0] if currencies else "USD"


def sync(request: VolunteerRequest, offers: list[VolunteerOffer], *, actor: User) -> Activity | None:
    came = [offer for offer in offers if offer.attended]
    activity = db.session.get(Activity, request.activity_id) if request.activity_id else None
    if not came:
        if activity is not None:
            record("activity.delete", actor=actor, object_type="activity", object_id=activity.id,
                   branch_id=activity.branch_id, outreach_request=request.id)
            db.session.delete(activity)
            request.activity_id = None
        return None
    by_branch = Counter(offer.branch_id for offer in came)
    host_id = min(by_branch, key=lambda b: (-by_branch[b], b))
    host = db.session.get(Branch, host_id)
    cohosts = list(db.session.scalars(sa.select(Branch).where(
        Branch.id.in_(set(by_branch) - {host_id}))))
    now = utcnow()
    values = {
        "branch_id": host_id, "title": request.title[:160], "category": Category.RECRUITMENT,
        "starts_on": to_local(request.starts_at, request.timezone).date(),
        "ends_on": to_local(request.ends_at, request.timezone).date(),
        "city": request.city, "country": request.country or host.country,
        "is_online": request.is_online,
        "description": f"{request.mission.name}: {request.kind.label}.\n\n{request.outcome_notes}"
                       .strip(),
        "people_reached": request.people_reached or 0, "volunteers": len(came),
        "volunteer_tenths": sum(offer.hours_tenths or 0 for offer in came),
        "members_involved": len(came), "status": ActivityStatus.VERIFIED, "is_published": True,
        "reviewed_by_id": actor.id, "reviewed_at": now, "edited_by_id": actor.id,
    }
    if activity is None:
        activity = Activity(created_by_id=actor.id, submitted_at=now,
                            currency=currency_of(host.country), **values)
        db.session.add(activity)
    else:
        for name, value in values.items():
            setattr(activity, name, value)
    activity.cohosts = cohosts
    db.session.flush()
    request.activity_id = activity.id
    record("activity.outreach", actor=actor, object_type="activity", object_id=activity.id,
           branch_id=host_id, outreach_request=request.id, volunteers=len(came))
    return activity
