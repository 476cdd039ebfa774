"""Posting and changing volunteer requests, and recording what they achieved."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from jetaa.audit.services import apply_changes, record
from jetaa.auth.models import User
from jetaa.branches.models import Branch
from jetaa.core import dates
from jetaa.core.timezones import is_timezone
from jetaa.db import utcnow
from jetaa.events.times import exists, to_utc
from jetaa.extensions import db
from jetaa.members.models import JapaneseLevel, JetRole, Jlpt
from jetaa.missions.models import Mission
from jetaa.outreach import activity, notify
from jetaa.outreach.cycle import cycle_of
from jetaa.outreach.geo import coordinates
from jetaa.outreach.models import (
    ANSWERABLE,
    LIVE_OFFERS,
    OfferStatus,
    OutreachError,
    RequestKind,
    RequestRole,
    RequestStatus,
    VolunteerOffer,
    VolunteerRequest,
)
from jetaa.permissions import is_admin

NOTIFY_FIELDS = ("starts_at", "ends_at", "venue", "city", "online_url", "is_online")
MAX_ROLES = 6
MAX_PLACES = 200
MAX_HOURS_TENTHS = 24 * 10 * 31


@dataclass
class RoleData:
    name: str
    places: int
    id: int | None = None  # the role edited (None: a new role)
    jet_role: JetRole | None = None
    min_japanese: JapaneseLevel | None = None
    min_jlpt: Jlpt | None = None
    returned_min_years: int | None = None
    returned_max_years: int | None = None
    region: str = ""


@dataclass
class RequestData:
    """What the request form collects, in the request's local time."""

    kind: RequestKind
    title: str
    timezone: str
    starts_local: datetime
    ends_local: datetime
    respond_by_local: datetime
    roles: list[RoleData]
    branch_ids: list[int]
    description: str = ""
    venue: str = ""
    city: str = ""
    country: str = ""
    is_online: bool = False
    online_url: str | None = None
    is_period: bool = False
    extra: dict = field(default_factory=dict)


def check(data: RequestData) -> None:
    """Refuse what no request can be, whichever form or script sent it."""
    if not is_timezone(data.timezone):
        raise OutreachError(_l("Unknown time zone: %(zone)s.", zone=data.timezone))
    for moment in (data.starts_local, data.ends_local, data.respond_by_local):
        if not exists(moment, data.timezone):
            raise OutreachError(_l("%(time)s does not exist in %(zone)s: the clocks change "
                                   "then. Choose another time.",
                                   time=dates.day_time(moment), zone=data.timezone))
    if data.ends_local <= data.starts_local:
        raise OutreachError(_l("The end must be after the start."))
    if data.respond_by_local > data.starts_local:
        raise OutreachError(_l("The response deadline must be on or before the start."))
    if not data.roles:
        raise OutreachError(_l("Add at least one role, with the number of volunteers it needs."))
    if len(data.roles) > MAX_ROLES:
        raise OutreachError(_l("A request can have at most %(n)d roles.", n=MAX_ROLES))
    names = [role.name.strip().casefold() for role in data.roles]
    if len(set(names)) != len(names):
        raise OutreachError(_l("Each role needs its own name."))
    for role in data.roles:
        if role.places is None or role.places < 1:
            raise OutreachError(_l("Each role needs at least one volunteer (%(role)s).",
                                   role=role.name))
        if role.places > MAX_PLACES:
            raise OutreachError(_l("A role can ask for at most %(n)d volunteers.", n=MAX_PLACES))
        low, high = role.returned_min_years, role.returned_max_years
        if (low is not None and low < 0) or (high is not None and high < 0):
            raise OutreachError(_l("Years since return cannot be negative."))
        if low is not None and high is not None and low > high:
            raise OutreachError(_l("“Returned at least” cannot be more years than “at most” "
                                   "(%(role)s).", role=role.name))
    if not data.branch_ids:
        raise OutreachError(_l("Ask at least one branch."))
    if data.is_online and not data.online_url and not data.venue:
        raise OutreachError(_l("An online request needs its link or a note on how to join."))


def _check_branches(mission: Mission, branch_ids: list[int], actor: User,
                    already: set[int] = frozenset()) -> list[Branch]:
    """The branches asked; beyond the mission's area only an admin adds one (a branch an
    admin added stays through a staff member's edit)."""
    branches = list(db.session.scalars(sa.select(Branch).where(Branch.id.in_(branch_ids))))
    if len(branches) != len(set(branch_ids)):
        raise OutreachError(_l("One of the branches asked does not exist."))
    outside = [b.name for b in branches if b.mission_id != mission.id and b.id not in already]
    if outside and not is_admin(actor):
        raise OutreachError(_l("%(names)s is outside this mission's area: only a federation "
                               "admin can ask branches beyond it.", names=", ".join(outside)))
    return branches


def _fields(data: RequestData) -> dict:
    point = None if data.is_online else coordinates(data.country, data.city)
    return {
        "kind": data.kind, "title": data.title.strip(), "description": data.description,
        "venue": data.venue, "city": data.city, "country": data.country,
        "is_online": data.is_online, "online_url": data.online_url or None,
        "timezone": data.timezone, "starts_at": to_utc(data.starts_local, data.timezone),
        "ends_at": to_utc(data.ends_local, data.timezone), "is_period": data.is_period,
        "respond_by": to_utc(data.respond_by_local, data.timezone),
        "cycle": cycle_of(data.starts_local.date()),
        "latitude": point and point[0], "longitude": point and point[1],
    }


def _role_fields(role: RoleData) -> dict:
    return {"name": role.name.strip(), "places": role.places, "jet_role": role.jet_role,
            "min_japanese": role.min_japanese, "min_jlpt": role.min_jlpt,
            "returned_min_years": role.returned_min_years,
            "returned_max_years": role.returned_max_years, "region": role.region or ""}


def create_request(mission: Mission, data: RequestData, *, actor: User) -> VolunteerRequest:
    """A draft request of `mission`; staff publish it when it is ready."""
    check(data)
    branches = _check_branches(mission, data.branch_ids, actor)
    request = VolunteerRequest(mission_id=mission.id, created_by_id=actor.id, branches=branches,
                               roles=[RequestRole(**_role_fields(r)) for r in data.roles],
                               **_fields(data))
    db.session.add(request)
    db.session.flush()
    record("outreach.create", actor=actor, object_type="outreach_request", object_id=request.id,
           mission=mission.slug, title=request.title)
    return request


def _update_roles(request: VolunteerRequest, roles: list[RoleData]) -> list[str]:
    """Roles are matched by id; a role with answers cannot go, nor need fewer volunteers than
    it has confirmed."""
    changes = []
    existing = {role.id: role for role in request.roles}
    kept = {data.id for data in roles if data.id in existing}
    for role in [r for r in request.roles if r.id not in kept]:
        answered = db.session.scalar(sa.select(sa.func.count(VolunteerOffer.id)).where(
            VolunteerOffer.role_id == role.id, VolunteerOffer.status.in_(LIVE_OFFERS)))
        if answered:
            raise OutreachError(_l("%(role)s has answers and cannot be removed.", role=role.name))
        request.roles.remove(role)
        changes.append(role.name)
    for data in roles:
        role = existing.get(data.id) if data.id is not None else None
        if role is None:
            request.roles.append(RequestRole(**_role_fields(data)))
            changes.append(data.name)
            continue
        if data.places < role.confirmed:
            raise OutreachError(_l("%(role)s already has %(n)d confirmed volunteers: it cannot "
                                   "need fewer.", role=role.name, n=role.confirmed))
        if apply_changes(role, _role_fields(data)):
            changes.append(role.name)
    return changes


def update_request(request: VolunteerRequest, data: RequestData, *, actor: User) -> dict:
    """Apply an edit; everyone who answered hears about a new time or place, and branches
    newly asked hear about the request."""
    if request.status in (RequestStatus.CLOSED, RequestStatus.CANCELLED):
        raise OutreachError(_l("A closed or cancelled request cannot be changed."))
    check(data)
    if data.kind.confidential and not request.kind.confidential and db.session.scalar(
            sa.select(sa.func.count(VolunteerOffer.id)).where(
                VolunteerOffer.request_id == request.id,
                VolunteerOffer.status == OfferStatus.CONFIRMED)):
        raise OutreachError(_l("Volunteers are already confirmed without declaring conflicts of "
                               "interest: post a new request for a panel or screening."))
    mission = request.mission
    before = request.branch_ids
    request.branches = _check_branches(mission, data.branch_ids, actor, already=before)
    changed = apply_changes(request, _fields(data))
    if request.branch_ids != before:
        changed["branches"] = [",".join(map(str, sorted(before))),
                               ",".join(map(str, sorted(request.branch_ids)))]
    roles_changed = _update_roles(request, data.roles)
    if roles_changed:
        changed["roles"] = [None, ", ".join(roles_changed)]
    if not changed:
        return changed
    db.session.flush()
    refresh_status(request)
    if changed.keys() & set(NOTIFY_FIELDS):
        request.sequence += 1
        if "starts_at" in changed or "ends_at" in changed:  # remind again before the new date
            request.outcome_reminded_at = None
            db.session.execute(sa.update(VolunteerOffer)
                               .where(VolunteerOffer.request_id == request.id)
                               .values(reminded_at=None)
                               .execution_options(synchronize_session=False))
        if request.status in ANSWERABLE:
            notify.request_changed(request)
    added = request.branch_ids - before
    if added and request.status in ANSWERABLE:
        notify.request_opened(request, branch_ids=added)
    record("outreach.update", actor=actor, object_type="outreach_request", object_id=request.id,
           mission=mission.slug, changes=changed)
    return changed


def publish_request(request: VolunteerRequest, *, actor: User) -> int:
    """Open a draft: the asked branches' officers and opted-in members are told."""
    if request.status != RequestStatus.DRAFT:
        raise OutreachError(_l("Only a draft can be published."))
    if request.respond_by <= utcnow():
        raise OutreachError(_l("The response deadline has passed: move it before publishing."))
    request.status = RequestStatus.OPEN
    told = notify.request_opened(request)
    record("outreach.publish", actor=actor, object_type="outreach_request", object_id=request.id,
           mission=request.mission.slug, told=told)
    return told


def cancel_request(request: VolunteerRequest, *, actor: User) -> int:
    if request.status in (RequestStatus.CLOSED, RequestStatus.CANCELLED):
        raise OutreachError(_l("This request is already closed."))
    was_open = request.status != RequestStatus.DRAFT
    request.status = RequestStatus.CANCELLED
    request.sequence += 1
    told = notify.request_cancelled(request) if was_open else 0
    record("outreach.cancel", actor=actor, object_type="outreach_request", object_id=request.id,
           mission=request.mission.slug)
    return told


def share_request(request: VolunteerRequest, branch_id: int, *, actor: User) -> int:
    """An officer sends the request to the whole branch, once per branch."""
    from jetaa.audit.models import AuditEntry

    if request.status not in ANSWERABLE:
        raise OutreachError(_l("This request is not taking volunteers."))
    shared = db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
        AuditEntry.action == "outreach.share", AuditEntry.object_type == "outreach_request",
        AuditEntry.object_id == request.id, AuditEntry.branch_id == branch_id))
    if shared:
        raise OutreachError(_l("This request was already sent to the branch's members."))
    told = notify.share_with_branch(request, branch_id)
    record("outreach.share", actor=actor, object_type="outreach_request", object_id=request.id,
           branch_id=branch_id, told=told)
    return told


def close_request(request: VolunteerRequest, *, actor: User) -> None:
    """Stop taking answers without an outcome (e.g. filled elsewhere); the outcome can follow."""
    if request.status not in ANSWERABLE:
        raise OutreachError(_l("Only an open or filled request can be closed."))
    request.status = RequestStatus.CLOSED
    record("outreach.close", actor=actor, object_type="outreach_request", object_id=request.id,
           mission=request.mission.slug)


def lock(request: VolunteerRequest) -> None:
    """Hold the request row's write lock to the commit: outcomes and edits go one at a time."""
    db.session.execute(sa.update(VolunteerRequest).where(VolunteerRequest.id == request.id)
                       .values(sequence=VolunteerRequest.sequence)
                       .execution_options(synchronize_session=False))
    db.session.refresh(request, ["activity_id", "status", "sequence"])


def refresh_status(request: VolunteerRequest) -> None:
    """Open <-> filled as places are taken and given back."""
    if request.status not in ANSWERABLE:
        return
    db.session.refresh(request, ["roles"])
    full = all(role.confirmed >= role.places for role in request.roles)
    request.status = RequestStatus.FILLED if full else RequestStatus.OPEN


@dataclass
class Attendance:
    attended: bool
    hours_tenths: int | None


def record_outcome(request: VolunteerRequest, attendance: dict[int, Attendance], *,
                   people_reached: int | None, questions_asked: int | None,
                   applications_named: int | None, notes: str, actor: User) -> VolunteerRequest:
    """After the end: who came and for how long, and what it achieved. Closes the request and
    keeps its "JET recruitment support" activity in step (made once, updated after)."""
    lock(request)  # two staff saving the first outcome at once make one activity, not two
    if request.status in (RequestStatus.DRAFT, RequestStatus.CANCELLED):
        raise OutreachError(_l("Only a published request has an outcome."))
    if request.starts_at > utcnow():
        raise OutreachError(_l("The outcome can be recorded once the request has started."))
    for figure in (people_reached, questions_asked, applications_named):
        if figure is not None and not 0 <= figure <= 1_000_000:
            raise OutreachError(_l("Figures must be between 0 and 1,000,000."))
    offers = list(db.session.scalars(sa.select(VolunteerOffer).where(
        VolunteerOffer.request_id == request.id, VolunteerOffer.status == OfferStatus.CONFIRMED)))
    span_tenths = int((request.ends_at - request.starts_at).total_seconds() // 360)
    for offer in offers:
        answer = attendance.get(offer.id)
        if answer is None:
            continue
        hours = answer.hours_tenths if answer.attended else 0
        if hours is not None and not 0 <= hours <= min(MAX_HOURS_TENTHS, max(span_tenths, 10)):
            raise OutreachError(_l("%(name)s cannot have given more hours than the request lasted.",
                                   name=offer.user.name))
        offer.attended, offer.hours_tenths = answer.attended, hours
    request.people_reached, request.questions_asked = people_reached, questions_asked
    request.applications_named, request.outcome_notes = applications_named, notes
    request.outcome_recorded_at = utcnow()
    request.status = RequestStatus.CLOSED
    db.session.flush()
    activity.sync(request, offers, actor=actor)
    record("outreach.outcome", actor=actor, object_type="outreach_request", object_id=request.id,
           mission=request.mission.slug, attended=sum(1 for o in offers if o.attended),
           people_reached=people_reached)
    return request
