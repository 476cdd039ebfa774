"""The board, a request's page, the staff's request form, offers and decisions, the outcome."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from jetaa.auth.models import User
from jetaa.branches.models import Branch
from jetaa.core import dates
from jetaa.core.actions import Refused, act
from jetaa.core.markdown import render_markdown
from jetaa.core.timezones import zone_label
from jetaa.db import utcnow
from jetaa.events.times import to_local
from jetaa.extensions import db
from jetaa.members.choices import country_choices
from jetaa.missions.models import Mission
from jetaa.missions.permissions import get_mission_or_404
from jetaa.outreach import offers as offer_services
from jetaa.outreach import queries
from jetaa.outreach.forms import (
    ConflictForm,
    DeclarationForm,
    InviteForm,
    OfferForm,
    OutcomeForm,
    RequestForm,
)
from jetaa.outreach.models import (
    ANSWERABLE,
    OfferStatus,
    OutreachError,
    RequestKind,
    RequestRole,
    VolunteerOffer,
    VolunteerRequest,
)
from jetaa.outreach.notify import calendar_file
from jetaa.outreach.permissions import (
    can_decide_offer,
    can_manage_mission,
    can_manage_request,
    can_share_request,
    can_volunteer,
    get_offer_or_404,
    get_request_or_404,
    is_own_offer,
)
from jetaa.outreach.presets import PRESETS, stage_of
from jetaa.outreach.services import (
    Attendance,
    cancel_request,
    close_request,
    create_request,
    publish_request,
    record_outcome,
    share_request,
    update_request,
)
from jetaa.outreach.suggestions import suggest
from jetaa.permissions import is_admin, mission_ids_of, officer_branch_ids, require
from jetaa.reference.models import Prefecture

bp = Blueprint("outreach", __name__)


# The board -------------------------------------------------------------------

@bp.route("/outreach")
@login_required
def board() -> str:
    past = request.args.get("past") == "1"
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    rows = queries.board(current_user, upcoming=not past, page=page)
    has_next = len(rows) > queries.BOARD_SIZE
    mine = {o.request_id: o for o in queries.my_offers(current_user, upcoming_only=True)}
    return render_template("outreach/board.html", rows=rows[:queries.BOARD_SIZE], past=past,
                           page=page, has_next=has_next, mine=mine,
                           missions=_managed_missions(), now=utcnow())


def _managed_missions() -> list[Mission]:
    ids = mission_ids_of(current_user)
    if not ids:
        return []
    return list(db.session.scalars(sa.select(Mission).where(Mission.id.in_(ids))
                                   .order_by(Mission.name)))


# One request -------------------------------------------------------------------

def _offer_form(req: VolunteerRequest, role_id: int | None = None) -> OfferForm:
    form = OfferForm(role_id=role_id)
    form.role_id.choices = [(role.id, role.name) for role in req.roles]
    return form


@bp.route("/outreach/<id:request_id>")
@login_required
def show(request_id: int) -> str:
    req = get_request_or_404(request_id)
    offers = queries.offers_by_role(req, current_user)
    people = [o.user_id for role_offers in offers.values() for o in role_offers]
    manage = can_manage_request(current_user, req)
    suggestions = {}
    if manage and req.status in ANSWERABLE:
        suggestions = suggest(req, [role for role in req.roles if role.confirmed < role.places])
    mine = [o for role_offers in offers.values() for o in role_offers
            if o.user_id == current_user.id]
    return render_template(
        "outreach/show.html", req=req, offers=offers, mine=mine, manage=manage,
        cards=queries.cards(current_user, people, str(get_locale())), suggestions=suggestions,
        offer_form=_offer_form(req), declaration_form=DeclarationForm(),
        conflict_form=ConflictForm(), invite_form=InviteForm(), now=utcnow(),
        description=render_markdown(req.description), can_volunteer=can_volunteer(current_user, req),
        share_branches=_share_branches(req), started=req.starts_at <= utcnow())


def _share_branches(req: VolunteerRequest) -> list[Branch]:
    if not can_share_request(current_user, req):
        return []
    ids = officer_branch_ids(current_user) & req.branch_ids
    return [b for b in req.branches if b.id in ids]


@bp.route("/outreach/<id:request_id>.ics")
@login_required
def calendar(request_id: int) -> Response:
    """For confirmed volunteers and the mission's staff."""
    req = get_request_or_404(request_id)
    confirmed = db.session.scalar(sa.select(sa.exists().where(
        VolunteerOffer.request_id == req.id, VolunteerOffer.user_id == current_user.id,
        VolunteerOffer.status == OfferStatus.CONFIRMED)))
    require(bool(confirmed) or can_manage_request(current_user, req))
    return Response(calendar_file(req), mimetype="text/calendar", headers={
        "Content-Disposition": f"attachment; filename=outreach-{req.id}.ics"})


# The staff's form --------------------------------------------------------------

def _request_form(form: RequestForm, mission: Mission,
                  req: VolunteerRequest | None = None) -> None:
    area = sa.select(Branch).where(Branch.active).order_by(Branch.name)
    if not is_admin(current_user):  # beyond the area only what an admin already asked
        asked = list(req.branch_ids) if req is not None else []
        area = area.where(sa.or_(Branch.mission_id == mission.id, Branch.id.in_(asked)))
    form.branches.choices = [(b.id, b.name) for b in db.session.scalars(area)]
    form.country.choices = [("", _("None"))] + list(country_choices())
    regions = db.session.scalars(sa.select(Prefecture.region).distinct()
                                 .order_by(Prefecture.region)).all()
    for entry in form.roles.entries:
        entry.form.region.choices = [("", _("Any"))] + [(r, r) for r in regions]


def _from_preset(form: RequestForm, mission: Mission, kind: RequestKind) -> None:
    preset = PRESETS[kind]
    start = (to_local(utcnow(), mission.timezone) + timedelta(days=28)).replace(
        hour=10, minute=0, second=0, microsecond=0)
    form.kind.data, form.title.data = kind.value, str(preset.title)
    form.description.data = str(preset.description)
    form.starts_local.data, form.ends_local.data = start, start + timedelta(hours=preset.hours)
    form.respond_by_local.data = start - timedelta(days=preset.respond_days)
    form.is_period.data = kind == RequestKind.APPLICATION_SCREENING
    form.city.data, form.country.data = mission.city, mission.country
    form.branches.data = [b for b, _name in form.branches.choices
                          if db.session.get(Branch, b).mission_id == mission.id]
    for entry, role in zip(form.roles.entries, preset.roles, strict=False):
        entry.form.name.data, entry.form.places.data = str(role.name), role.places
        entry.form.jet_role.data = role.jet_role.value if role.jet_role else ""
        entry.form.min_japanese.data = role.min_japanese.value if role.min_japanese else ""
        entry.form.returned_min_years.data = role.returned_min_years
        entry.form.returned_max_years.data = role.returned_max_years


def _save(form: RequestForm, save: Any) -> tuple[Any, str | None]:
    """Validate and save; (the request, None) or (None, the refusal to show above the form)."""
    if not form.validate_on_submit():
        return None, None
    try:
        result = save(form.data_object())
    except Refused as refusal:
        db.session.rollback()
        return None, str(refusal)
    db.session.commit()
    return result, None


@bp.route("/missions/<slug>/requests/new", methods=["GET", "POST"])
@login_required
def new(slug: str) -> Response | str:
    mission = get_mission_or_404(slug)
    require(can_manage_mission(current_user, mission))
    form = RequestForm(timezone=mission.timezone)
    _request_form(form, mission)
    kind = request.args.get("kind", "")
    if request.method == "GET":
        _from_preset(form, mission, RequestKind(kind) if kind in set(RequestKind) else
                     RequestKind.INFORMATION_SESSION)
    saved, problem = _save(form, lambda data: create_request(mission, data, actor=current_user))
    if saved is not None:
        flash(_("The request is saved as a draft. Publish it to ask the branches."), "success")
        return redirect(url_for("outreach.show", request_id=saved.id))
    presets = [(p, stage_of(p.kind)) for p in PRESETS.values()]
    return render_template("outreach/form.html", form=form, mission=mission, req=None,
                           problem=problem, presets=presets), 400 if problem else 200


def _fill(form: RequestForm, req: VolunteerRequest) -> None:
    form.kind.data = req.kind.value
    form.starts_local.data = to_local(req.starts_at, req.timezone)
    form.ends_local.data = to_local(req.ends_at, req.timezone)
    form.respond_by_local.data = to_local(req.respond_by, req.timezone)
    form.branches.data = sorted(req.branch_ids)
    for entry, role in zip(form.roles.entries, req.roles, strict=False):
        entry.form.role_id.data = str(role.id)
        entry.form.name.data, entry.form.places.data = role.name, role.places
        entry.form.jet_role.data = role.jet_role.value if role.jet_role else ""
        entry.form.min_japanese.data = role.min_japanese.value if role.min_japanese else ""
        entry.form.min_jlpt.data = role.min_jlpt.value if role.min_jlpt else ""
        entry.form.returned_min_years.data = role.returned_min_years
        entry.form.returned_max_years.data = role.returned_max_years
        entry.form.region.data = role.region


@bp.route("/outreach/<id:request_id>/edit", methods=["GET", "POST"])
@login_required
def edit(request_id: int) -> Response | str:
    req = get_request_or_404(request_id, require=can_manage_request)
    form = RequestForm(obj=req, roles=[{} for _role in range(max(3, len(req.roles)))]
                       if request.method == "GET" else None)
    _request_form(form, req.mission, req)
    if request.method == "GET":
        _fill(form, req)
    saved, problem = _save(form, lambda data: update_request(req, data, actor=current_user))
    if saved is not None:
        flash(_("The request is saved."), "success")
        return redirect(url_for("outreach.show", request_id=req.id))
    return render_template("outreach/form.html", form=form, mission=req.mission, req=req,
                           problem=problem, presets=[]), 400 if problem else 200


def _act(request_id: int, action: Any, message: str) -> Response:
    """A staff button on the request page: publish, cancel."""
    req = get_request_or_404(request_id, require=can_manage_request)
    page = url_for("outreach.show", request_id=req.id)
    return act(lambda: action(req, actor=current_user), success=message, done=page, back=page)


@bp.post("/outreach/<id:request_id>/publish")
@login_required
def publish(request_id: int) -> Response:
    return _act(request_id, publish_request,
                _("The request is open: the branches' officers and volunteers are told."))


@bp.post("/outreach/<id:request_id>/cancel")
@login_required
def cancel(request_id: int) -> Response:
    return _act(request_id, cancel_request,
                _("The request is cancelled and everyone who answered is told."))


@bp.post("/outreach/<id:request_id>/share")
@login_required
def share(request_id: int) -> Response:
    req = get_request_or_404(request_id, require=can_share_request)
    branch_id = request.form.get("branch_id", type=int)
    page = url_for("outreach.show", request_id=req.id)
    if branch_id not in {b.id for b in _share_branches(req)}:
        flash(_("Choose one of your branches that the request was sent to."), "error")
        return redirect(page)
    return act(lambda: share_request(req, branch_id, actor=current_user), done=page, back=page,
               success=lambda n: _("The request is sent to %(n)d more members.", n=n))


@bp.post("/outreach/<id:request_id>/close")
@login_required
def close(request_id: int) -> Response:
    return _act(request_id, close_request,
                _("The request is closed: it takes no more answers. Record its outcome after "
                  "the day."))


# Offers ------------------------------------------------------------------------

@bp.post("/outreach/<id:request_id>/offer")
@login_required
def offer(request_id: int) -> Response:
    req = get_request_or_404(request_id, require=can_volunteer)
    form = _offer_form(req)
    page = url_for("outreach.show", request_id=req.id)
    if not form.validate():
        flash(_("Please choose a role (and complete the declaration)."), "error")
        return redirect(page + "#volunteer")
    role = db.session.get(RequestRole, form.role_id.data)
    return act(_once(lambda: offer_services.volunteer(
        req, role, current_user, note=form.note.data or "",
        availability=form.availability.data or "",
        declaration=form.declaration() if req.kind.confidential else None)),
        done=page, back=page + "#volunteer",
        success=_("Thank you! Your offer is sent; you will hear when it is confirmed."))


def _once(call: Any) -> Any:
    """A double-clicked answer races to create the same offer: the loser is told it is one."""

    def run() -> Any:
        try:
            result = call()
            db.session.flush()
        except sa.exc.IntegrityError:
            db.session.rollback()  # the whole action: nothing else was written
            raise OutreachError(_("That person has already answered for this role.")) from None
        return result

    return run


@bp.post("/outreach/<id:request_id>/invite")
@login_required
def invite(request_id: int) -> Response:
    req = get_request_or_404(request_id, require=can_manage_request)
    form = InviteForm()
    page = url_for("outreach.show", request_id=req.id)
    member = db.session.get(User, form.user_id.data) if form.validate() else None
    role = db.session.get(RequestRole, form.role_id.data) if member else None
    if member is None or role is None:
        flash(_("Choose a suggested member to invite."), "error")
        return redirect(page)
    return act(_once(lambda: offer_services.invite(req, role, member, actor=current_user)),
               done=page, back=page, success=_("The invitation is sent."))


def _decide(offer_id: int, action: Any, message: str, require_: Any = can_decide_offer) -> Response:
    item = get_offer_or_404(offer_id, require=require_)
    page = url_for("outreach.show", request_id=item.request_id)
    return act(lambda: action(item, actor=current_user), success=message, done=page, back=page)


@bp.post("/outreach/offers/<id:offer_id>/confirm")
@login_required
def confirm(offer_id: int) -> Response:
    return _decide(offer_id, offer_services.confirm,
                   _("Confirmed: the volunteer is sent the details and a calendar entry."))


@bp.post("/outreach/offers/<id:offer_id>/waitlist")
@login_required
def waitlist(offer_id: int) -> Response:
    return _decide(offer_id, offer_services.waitlist, _("The offer is on the waitlist."))


@bp.post("/outreach/offers/<id:offer_id>/decline")
@login_required
def decline(offer_id: int) -> Response:
    return _decide(offer_id, offer_services.decline, _("The offer is declined."))


@bp.post("/outreach/offers/<id:offer_id>/withdraw")
@login_required
def withdraw(offer_id: int) -> Response:
    return _decide(offer_id, offer_services.withdraw,
                   _("You have withdrawn. Thank you for letting the mission know."), is_own_offer)


@bp.post("/outreach/offers/<id:offer_id>/still-coming")
@login_required
def still_coming(offer_id: int) -> Response:
    return _decide(offer_id, offer_services.still_coming,
                   _("Thank you: the mission knows you are coming."), is_own_offer)


@bp.post("/outreach/offers/<id:offer_id>/declaration")
@login_required
def declaration(offer_id: int) -> Response:
    item = get_offer_or_404(offer_id, require=is_own_offer)
    form = DeclarationForm()
    page = url_for("outreach.show", request_id=item.request_id)
    form.validate()
    return act(lambda: offer_services.redeclare(item, form.declaration(), actor=current_user),
               done=page, back=page, success=_("Your declaration is saved."))


@bp.post("/outreach/offers/<id:offer_id>/conflict")
@login_required
def conflict(offer_id: int) -> Response:
    item = get_offer_or_404(offer_id, require=lambda user, o: can_manage_request(user, o.request))
    form = ConflictForm()
    page = url_for("outreach.show", request_id=item.request_id)
    reason = form.reason.data or "" if form.validate() else ""
    return act(lambda: offer_services.accept_conflict(item, reason, actor=current_user),
               done=page, back=page, success=_("The reason is recorded; the offer can be confirmed."))


# After the event ---------------------------------------------------------------

@bp.route("/outreach/<id:request_id>/outcome", methods=["GET", "POST"])
@login_required
def outcome(request_id: int) -> Response | str:
    req = get_request_or_404(request_id, require=can_manage_request)
    confirmed = list(db.session.scalars(
        sa.select(VolunteerOffer).join(VolunteerOffer.user)
        .options(sa.orm.contains_eager(VolunteerOffer.user), sa.orm.joinedload(VolunteerOffer.role))
        .where(VolunteerOffer.request_id == req.id, VolunteerOffer.status == OfferStatus.CONFIRMED)
        .order_by(VolunteerOffer.role_id, VolunteerOffer.id)))
    form = OutcomeForm(obj=req if request.method == "GET" else None,
                       notes=req.outcome_notes if request.method == "GET" else None)
    problem = None
    if form.validate_on_submit():
        attendance, problem = _attendance(confirmed)
        if problem is None:
            try:
                record_outcome(req, attendance, people_reached=form.people_reached.data,
                               questions_asked=form.questions_asked.data,
                               applications_named=form.applications_named.data,
                               notes=form.notes.data or "", actor=current_user)
            except Refused as refusal:
                db.session.rollback()
                problem = str(refusal)
            else:
                db.session.commit()
                flash(_("The outcome is recorded and counts in the branches' activities."),
                      "success")
                return redirect(url_for("outreach.show", request_id=req.id))
    default_hours = round((req.ends_at - req.starts_at).total_seconds() / 3600, 1)
    return render_template("outreach/outcome.html", req=req, form=form, confirmed=confirmed,
                           problem=problem, default_hours=min(default_hours, 12.0),
                           started=req.starts_at <= utcnow()), 400 if problem else 200


def _attendance(confirmed: list[VolunteerOffer]) -> tuple[dict[int, Attendance], str | None]:
    """Attended (a checkbox) and hours (a decimal number) per confirmed offer, from the form."""
    result = {}
    for item in confirmed:
        came = request.form.get(f"attended-{item.id}") == "yes"
        text = (request.form.get(f"hours-{item.id}") or "").strip().replace(",", ".")
        tenths = None
        if text:
            try:
                value = float(text)
            except ValueError:
                value = -1.0
            if not 0 <= value <= 1000 or value != value:
                return {}, _("Hours for %(name)s must be a number of hours, such as 3.5.",
                             name=item.user.name)
            tenths = round(value * 10)
        result[item.id] = Attendance(attended=came, hours_tenths=tenths)
    return result, None


# What templates show -----------------------------------------------------------

@bp.app_template_global()
def request_when(req: VolunteerRequest) -> str:
    """When, in the request's own time zone and the reader's language."""
    start, end = to_local(req.starts_at, req.timezone), to_local(req.ends_at, req.timezone)
    if req.is_period:
        return dates.day_range(start.date(), end.date())
    until = (dates.clock(end, req.timezone) if start.date() == end.date()
             else dates.day_time(end, req.timezone))
    return f"{dates.day_time(start, req.timezone)}–{until} ({zone_label(req.timezone)})"


@bp.app_template_global()
def request_day(req: VolunteerRequest) -> str:
    """The request's first day where it happens (not in UTC)."""
    return dates.day(to_local(req.starts_at, req.timezone).date())


@bp.app_template_global()
def local_deadline(req: VolunteerRequest) -> str:
    return dates.day_time(req.respond_by, req.timezone)


@bp.app_template_global()
def japanese_label(value: str) -> str:
    """A Japanese level as the reader's language names it ("business" -> "Business")."""
    from jetaa.members.choices import JAPANESE_LEVELS

    return str(dict(JAPANESE_LEVELS).get(value, value))
