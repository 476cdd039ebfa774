"""Requests, offers, decisions and outcomes: behaviour and database state."""

from __future__ import annotations

import email
from datetime import timedelta

import pytest
import sqlalchemy as sa

from jetaa.activities.models import Activity, ActivityStatus, Category
from jetaa.audit.models import AuditEntry
from jetaa.auth.models import User
from jetaa.db import utcnow
from jetaa.members.models import AlumniProfile, JapaneseLevel, JetRole, Placement
from jetaa.outreach import offers, queries
from jetaa.outreach.models import (
    OfferStatus,
    OutreachError,
    RequestKind,
    RequestRole,
    RequestStatus,
    VolunteerOffer,
)
from jetaa.outreach.offers import Declaration
from jetaa.outreach.reminders import send_reminders
from jetaa.outreach.services import (
    Attendance,
    RoleData,
    create_request,
    publish_request,
    record_outcome,
    update_request,
)
from jetaa.outreach.suggestions import suggestions
from jetaa.reference.models import Prefecture
from tests.outreach.conftest import edit_data, request_data


def _profile(db, user, *, placements=None, role=None, **fields):  # noqa: ANN001, ANN202
    """An opted-in profile, with one placement (role, 2015-2018) unless `placements` says."""
    values = {"open_to_recruitment": True, "japanese_level": JapaneseLevel.BUSINESS,
              "home_country": "US", "current_city": "New York"}
    values.update(fields)
    if placements is None:
        placements = [{"role": role, "start_year": 2015, "end_year": 2018}]
    profile = AlumniProfile(user_id=user.id, **values, placements=[
        Placement(position=n, **p) for n, p in enumerate(placements)])
    db.add(profile)
    db.commit()
    return profile


@pytest.mark.parametrize(("change", "message"), [
    ({"roles": [RoleData("Panelist", 0)]}, "at least one volunteer"),
    ({"roles": [RoleData("Panelist", -2)]}, "at least one volunteer"),
    ({"roles": []}, "at least one role"),
    ({"branch_ids": []}, "at least one branch"),
    ({"roles": [RoleData("A", 1, returned_min_years=5, returned_max_years=2)]}, "cannot be more"),
])
def test_bad_requests_are_refused(world, db, change, message):
    data = request_data(change.pop("branch_ids", [world.branch.id]), **change)
    with pytest.raises(OutreachError, match=message):
        create_request(world.mission, data, actor=world.users["mission"])


def test_deadline_after_start_and_end_before_start_are_refused(world):
    data = request_data([world.branch.id])
    data.respond_by_local = data.starts_local + timedelta(hours=1)
    with pytest.raises(OutreachError, match="deadline"):
        create_request(world.mission, data, actor=world.users["mission"])
    data = request_data([world.branch.id])
    data.ends_local = data.starts_local - timedelta(hours=1)
    with pytest.raises(OutreachError, match="end must be after"):
        create_request(world.mission, data, actor=world.users["mission"])


def test_branches_outside_the_area_need_an_admin(world, db):
    data = request_data([world.branch.id, world.other_branch.id])
    with pytest.raises(OutreachError, match="outside this mission's area"):
        create_request(world.mission, data, actor=world.users["mission"])
    req = create_request(world.mission, data, actor=world.users["admin"])
    assert req.branch_ids == {world.branch.id, world.other_branch.id}
    assert req.cycle[:4].isdigit()
    assert req.status == RequestStatus.DRAFT


def test_publish_tells_officers_and_opted_in_members(world, db, make_request, outbox):
    _profile(db, world.users["member"])
    req = make_request(status="draft")
    assert publish_request(req, actor=world.users["mission"]) == 2
    db.commit()
    assert sorted(m.to_address for m in outbox()) == sorted(
        [world.users["member"].email, world.users["officer"].email])
    assert req.status == RequestStatus.OPEN


def test_offer_rules(world, db, make_request):
    req = make_request()
    role = req.roles[0]
    offer = offers.volunteer(req, role, world.users["member"], note="I can speak")
    db.commit()
    assert (offer.status, offer.branch_id) == (OfferStatus.OFFERED, world.branch.id)
    with pytest.raises(OutreachError, match="already answered"):
        offers.volunteer(req, role, world.users["member"])
    db.rollback()
    with pytest.raises(OutreachError, match="not a member"):
        offers.volunteer(req, role, world.users["other_officer"])
    db.rollback()
    closed = make_request(status="closed")
    with pytest.raises(OutreachError, match="not taking volunteers"):
        offers.volunteer(closed, closed.roles[0], world.users["member"])
    db.rollback()
    late = make_request()
    late.respond_by = utcnow() - timedelta(minutes=1)
    db.commit()
    with pytest.raises(OutreachError, match="deadline"):
        offers.volunteer(late, late.roles[0], world.users["member"])


def test_confirming_never_passes_the_places(world, db, make_request, make_user, make_membership,
                                            make_offer, outbox):
    req = make_request(places=1)
    first = make_offer(req, world.users["member"])
    second_user = make_user("Sid Second")
    make_membership(second_user, world.branch)
    second = make_offer(req, second_user)
    offers.confirm(first, actor=world.users["mission"])
    db.commit()
    assert db.get(RequestRole, req.roles[0].id).confirmed == 1
    assert req.status == RequestStatus.FILLED
    with pytest.raises(OutreachError, match="All 1 places"):
        offers.confirm(second, actor=world.users["mission"])
    db.rollback()
    assert db.get(VolunteerOffer, second.id).status == OfferStatus.OFFERED
    sent = [m for m in outbox() if m.template == "outreach_confirmed"]
    assert [m.to_address for m in sent] == [world.users["member"].email]
    assert "BEGIN:VEVENT" in sent[0].calendar_ics
    assert "Info session at NYU" in sent[0].calendar_ics


def test_withdrawing_offers_the_place_to_the_first_waitlisted(world, db, make_request, make_user,
                                                              make_membership, make_offer,
                                                              outbox):
    req = make_request(places=1)
    first = make_offer(req, world.users["member"])
    offers.confirm(first, actor=world.users["mission"])
    waiting = []
    for n in range(2):
        user = make_user(f"Wait {n}")
        make_membership(user, world.branch)
        waiting.append(make_offer(req, user, status="waitlisted",
                                  waitlisted_at=utcnow() + timedelta(seconds=n)))
    db.commit()
    offers.withdraw(first, actor=world.users["member"])
    db.commit()
    assert db.get(VolunteerOffer, first.id).status == OfferStatus.WITHDRAWN
    assert db.get(VolunteerOffer, waiting[0].id).status == OfferStatus.CONFIRMED
    assert db.get(VolunteerOffer, waiting[1].id).status == OfferStatus.WAITLISTED
    assert db.get(RequestRole, req.roles[0].id).confirmed == 1
    templates = [(m.template, m.to_address) for m in outbox()]
    assert ("outreach_withdrawn", world.users["mission"].email) in templates
    assert ("outreach_confirmed", waiting[0].user.email) in templates


def test_a_declared_conflict_blocks_until_staff_accept_it(world, db, make_request):
    req = make_request(kind=RequestKind.INTERVIEW_PANEL)
    role = req.roles[0]
    with pytest.raises(OutreachError, match="confidential"):
        offers.volunteer(req, role, world.users["member"])
    db.rollback()
    with pytest.raises(OutreachError, match="what the conflict"):
        offers.volunteer(req, role, world.users["member"],
                         declaration=Declaration(has_conflict=True, confidential=True))
    db.rollback()
    from jetaa.outreach.models import ConflictKind

    offer = offers.volunteer(req, role, world.users["member"], declaration=Declaration(
        has_conflict=True, confidential=True, kind=ConflictKind.REFERENCE,
        details="I wrote a reference for one applicant"))
    db.commit()
    with pytest.raises(OutreachError, match="need.*mission"):
        offers.confirm(offer, actor=world.users["officer"])
    db.rollback()
    with pytest.raises(OutreachError, match="record why"):
        offers.confirm(offer, actor=world.users["mission"])
    db.rollback()
    offers.accept_conflict(offer, "The applicant is interviewed by another panel.",
                           actor=world.users["mission"])
    offers.confirm(offer, actor=world.users["mission"])
    db.commit()
    assert db.get(VolunteerOffer, offer.id).status == OfferStatus.CONFIRMED
    actions = set(db.scalars(sa.select(AuditEntry.action)))
    assert {"outreach.declaration", "outreach.conflict_accepted", "outreach.confirm"} <= actions


def test_editing_time_notifies_everyone_who_answered(world, db, make_request, make_offer, outbox):
    req = make_request()
    make_offer(req, world.users["member"])
    update_request(req, edit_data(req, days=11), actor=world.users["mission"])
    db.commit()
    assert [m.template for m in outbox()] == ["outreach_changed"]
    assert req.sequence == 1


def test_places_cannot_drop_below_confirmed(world, db, make_request, make_user,
                                            make_membership, make_offer):
    req = make_request(places=2)
    second = make_user("Sid Second")
    make_membership(second, world.branch)
    for user in (world.users["member"], second):
        offers.confirm(make_offer(req, user), actor=world.users["mission"])
    db.commit()
    with pytest.raises(OutreachError, match="cannot need fewer"):
        update_request(req, edit_data(req, roles=[RoleData("Panelist", 1, id=req.roles[0].id)]),
                       actor=world.users["mission"])
    db.rollback()
    assert db.get(RequestRole, req.roles[0].id).places == 2


def test_outcome_counts_once_as_a_recruitment_activity(world, db, make_request, make_offer):
    req = make_request(days=-2)
    offer = make_offer(req, world.users["member"], status="confirmed")
    for people in (120, 150):
        record_outcome(req, {offer.id: Attendance(True, 30)}, people_reached=people,
                       questions_asked=12, applications_named=3, notes="Full room",
                       actor=world.users["mission"])
        db.commit()
    activities = db.scalars(sa.select(Activity)).all()
    assert len(activities) == 1
    activity = activities[0]
    assert (activity.category, activity.status, activity.is_published) == (
        Category.RECRUITMENT, ActivityStatus.VERIFIED, True)
    assert (activity.branch_id, activity.people_reached, activity.volunteers,
            activity.volunteer_tenths) == (world.branch.id, 150, 1, 30)
    assert req.status == RequestStatus.CLOSED
    assert req.activity_id == activity.id
    record_outcome(req, {offer.id: Attendance(False, None)}, people_reached=150,
                   questions_asked=None, applications_named=None, notes="",
                   actor=world.users["mission"])
    db.commit()
    assert db.scalars(sa.select(Activity)).all() == []
    assert db.get(VolunteerOffer, offer.id).hours_tenths == 0


def test_outcome_refuses_impossible_figures(world, db, make_request, make_offer):
    req = make_request(days=-2)
    offer = make_offer(req, world.users["member"], status="confirmed")
    with pytest.raises(OutreachError, match="more hours"):
        record_outcome(req, {offer.id: Attendance(True, 500)}, people_reached=1,
                       questions_asked=None, applications_named=None, notes="",
                       actor=world.users["mission"])
    db.rollback()
    future = make_request()
    with pytest.raises(OutreachError, match="once the request has started"):
        record_outcome(future, {}, people_reached=1, questions_asked=None,
                       applications_named=None, notes="", actor=world.users["mission"])


def test_suggestions_filter_rank_and_explain(world, db, make_request, make_user,
                                             make_membership):
    req = make_request(roles=[RoleData("CIR panelist", 2, jet_role=JetRole.CIR,
                                       min_japanese=JapaneseLevel.BUSINESS)])
    role = req.roles[0]
    people = {}
    for name, fields in {
        "Near Fluent": {"japanese_level": JapaneseLevel.FLUENT, "current_city": "New York"},
        "Far Business": {"japanese_level": JapaneseLevel.BUSINESS, "current_city": "Seattle"},
        "Too Basic": {"japanese_level": JapaneseLevel.BASIC},
        "Not Opted": {"open_to_recruitment": False, "japanese_level": JapaneseLevel.NATIVE},
        "Only ALT": {"japanese_level": JapaneseLevel.NATIVE, "cir": False},
    }.items():
        user = make_user(name)
        make_membership(user, world.branch)
        cir = fields.pop("cir", True)
        _profile(db, user, role=JetRole.CIR if cir else JetRole.ALT, **fields)
        people[name] = user
    outsider = make_user("Away Native")
    make_membership(outsider, world.other_branch)
    _profile(db, outsider, japanese_level=JapaneseLevel.NATIVE, role=JetRole.CIR)
    found = suggestions(req, role)
    assert [s.name for s in found] == ["Near Fluent", "Far Business"]
    assert found[0].km is not None
    assert found[0].km < 20
    assert found[1].km > 3000
    assert found[0].jet_roles == "CIR"
    assert found[0].end_year == 2018


def test_invite_only_suggestable_members(world, db, make_request, make_user, make_membership,
                                         outbox):
    req = make_request()
    with pytest.raises(OutreachError, match="opted in"):
        offers.invite(req, req.roles[0], world.users["member"], actor=world.users["mission"])
    db.rollback()
    _profile(db, world.users["member"])
    offer = offers.invite(req, req.roles[0], world.users["member"], actor=world.users["mission"])
    db.commit()
    assert offer.status == OfferStatus.INVITED
    assert [m.template for m in outbox()] == ["outreach_invited"]
    accepted = offers.volunteer(req, req.roles[0], world.users["member"], note="Yes")
    assert accepted.id == offer.id
    assert accepted.status == OfferStatus.OFFERED


def test_reminders_go_once(world, db, make_request, make_offer, outbox):
    soon = make_request(days=0)
    soon.starts_at = utcnow() + timedelta(hours=5)
    soon.ends_at = soon.starts_at + timedelta(hours=2)
    make_offer(soon, world.users["member"], status="confirmed")
    over = make_request(days=-3)
    db.commit()
    assert send_reminders() == 2  # the volunteer, and the one staff member for `over`
    assert send_reminders() == 0
    assert sorted(m.template for m in outbox()) == ["outreach_outcome_due", "outreach_reminder"]
    assert over.outcome_reminded_at is not None


def test_confirmation_mail_carries_the_calendar(world, db, make_request, make_offer, app):
    from jetaa.mail.models import OutboxMessage
    from jetaa.mail.services import _build

    req = make_request()
    offers.confirm(make_offer(req, world.users["member"]), actor=world.users["mission"])
    db.commit()
    message = db.scalar(sa.select(OutboxMessage).where(OutboxMessage.template
                                                       == "outreach_confirmed"))
    parsed = email.message_from_bytes(bytes(_build(message)))
    parts = {part.get_content_type(): part for part in parsed.walk()}
    assert "text/calendar" in parts
    assert parts["text/calendar"].get_filename() == "invite.ics"
    assert b"SUMMARY:Info session at NYU" in parts["text/calendar"].get_payload(decode=True)


def test_a_time_the_clocks_skip_is_refused(world):
    from datetime import datetime

    data = request_data([world.branch.id])
    data.starts_local, data.ends_local = datetime(2031, 3, 9, 2, 30), datetime(2031, 3, 9, 3, 30)
    data.respond_by_local = datetime(2031, 3, 1, 10, 0)
    with pytest.raises(OutreachError, match="does not exist in America/New_York"):
        create_request(world.mission, data, actor=world.users["mission"])


def test_roles_are_edited_by_id(world, db, make_request, make_offer):
    req = make_request(roles=[RoleData("Panelist", 2), RoleData("Host", 1)])
    panelist, host = req.roles
    make_offer(req, world.users["member"], role=host, status="confirmed")
    host.confirmed = 1
    db.commit()
    data = request_data([world.branch.id], roles=[RoleData("Host", 1, id=host.id)])
    update_request(req, data, actor=world.users["mission"])  # the unanswered panelist goes
    db.commit()
    assert [(r.id, r.name, r.confirmed) for r in req.roles] == [(host.id, "Host", 1)]
    data = request_data([world.branch.id], roles=[RoleData("Speaker", 1)])
    with pytest.raises(OutreachError, match="Host has answers"):
        update_request(req, data, actor=world.users["mission"])


def test_closed_requests_take_no_decisions_and_promote_nobody(world, db, make_request,
                                                              make_offer, make_user,
                                                              make_membership):
    from jetaa.outreach.services import cancel_request

    req = make_request(places=1)
    first = make_offer(req, world.users["member"])
    offers.confirm(first, actor=world.users["mission"])
    other = make_user("Wanda Waiting")
    make_membership(other, world.branch)
    waiting = make_offer(req, other, status="waitlisted", waitlisted_at=utcnow())
    cancel_request(req, actor=world.users["mission"])
    db.commit()
    with pytest.raises(OutreachError, match="closed"):
        offers.decline(first, actor=world.users["mission"])
    db.rollback()
    assert db.get(VolunteerOffer, waiting.id).status == OfferStatus.WAITLISTED


def test_no_withdrawing_once_started(world, db, make_request, make_offer):
    req = make_request(days=-1)
    offer = make_offer(req, world.users["member"], status="confirmed")
    with pytest.raises(OutreachError, match="has started"):
        offers.withdraw(offer, actor=world.users["member"])


def test_staff_edits_keep_the_branches_an_admin_added(world, db, make_request, outbox):
    req = make_request()
    update_request(req, edit_data(req, branch_ids=[world.branch.id, world.other_branch.id]),
                   actor=world.users["admin"])
    db.commit()
    told = {m.to_address for m in outbox()}
    assert world.users["other_officer"].email in told  # the newly asked branch hears of it
    update_request(req, edit_data(req, title="Renamed"), actor=world.users["mission"])
    db.commit()
    assert req.branch_ids == {world.branch.id, world.other_branch.id}
    changes = [e.payload["changes"] for e in db.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "outreach.update")
        .order_by(AuditEntry.id))]
    assert "branches" in changes[0]


def test_a_declared_conflict_is_cleared_only_by_staff(world, db, make_request):
    from jetaa.outreach.models import ConflictKind

    req = make_request(kind=RequestKind.INTERVIEW_PANEL)
    offer = offers.volunteer(req, req.roles[0], world.users["member"], declaration=Declaration(
        has_conflict=True, confidential=True, kind=ConflictKind.RELATIVE, details="My niece"))
    db.commit()
    with pytest.raises(OutreachError, match="only by the mission"):
        offers.redeclare(offer, Declaration(has_conflict=False, confidential=True),
                         actor=world.users["member"])
    db.rollback()
    assert db.get(VolunteerOffer, offer.id).has_conflict is True


def test_a_new_date_is_reminded_again(world, db, make_request, make_offer, outbox):
    soon = make_request(days=0)
    soon.starts_at = utcnow() + timedelta(hours=5)
    soon.ends_at = soon.starts_at + timedelta(hours=2)
    offer = make_offer(soon, world.users["member"], status="confirmed")
    db.commit()
    assert send_reminders() == 1
    update_request(soon, edit_data(soon, days=3), actor=world.users["mission"])
    db.commit()
    assert db.get(VolunteerOffer, offer.id).reminded_at is None


def test_calendars_carry_their_zone_and_cancellations_remove_them(world, db, make_request,
                                                                   make_offer, outbox):
    from jetaa.outreach.services import cancel_request

    req = make_request()
    offers.confirm(make_offer(req, world.users["member"]), actor=world.users["mission"])
    cancel_request(req, actor=world.users["mission"])
    db.commit()
    confirmed, cancelled = [m.calendar_ics for m in outbox()]
    assert "BEGIN:VTIMEZONE" in confirmed
    assert "TZID:America/New_York" in confirmed
    assert "METHOD:CANCEL" in cancelled
    assert "STATUS:CANCELLED" in cancelled


def test_sharing_goes_once_per_branch_to_those_not_yet_told(world, db, make_request, outbox):
    from jetaa.outreach.services import share_request

    _profile(db, world.users["member"])  # opted in: told at the opening
    req = make_request()
    told = share_request(req, world.branch.id, actor=world.users["officer"])
    db.commit()
    assert told == 0  # the officer and the opted-in member had it; nobody else in the branch
    with pytest.raises(OutreachError, match="already sent"):
        share_request(req, world.branch.id, actor=world.users["officer"])


def test_close_and_still_coming(world, db, make_request, make_offer):
    from jetaa.outreach.services import close_request

    req = make_request()
    offer = make_offer(req, world.users["member"], status="confirmed")
    offers.still_coming(offer, actor=world.users["member"])
    close_request(req, actor=world.users["mission"])
    db.commit()
    assert db.get(VolunteerOffer, offer.id).reconfirmed_at is not None
    assert req.status == RequestStatus.CLOSED
    with pytest.raises(OutreachError, match="open or filled"):
        close_request(req, actor=world.users["mission"])


def test_suggestions_weigh_every_placement(world, db, make_request, make_user, make_membership):
    """An ALT who came back as a CIR is a former CIR; "back since" is the last placement's
    end; a region matches any placement; someone still on JET has not come back."""
    from jetaa.reference.services import load_prefectures

    load_prefectures()
    kinki = db.scalar(sa.select(Prefecture.region).where(Prefecture.code == 28))
    req = make_request(roles=[RoleData("CIR panelist", 3, jet_role=JetRole.CIR,
                                       returned_min_years=1, region=kinki)])
    histories = {
        "Alt Then Cir": [{"role": JetRole.ALT, "prefecture_code": 13, "start_year": 2010,
                          "end_year": 2012},
                         {"role": JetRole.CIR, "prefecture_code": 28, "start_year": 2012,
                          "end_year": 2016}],
        "Cir Elsewhere": [{"role": JetRole.CIR, "prefecture_code": 13, "start_year": 2010,
                           "end_year": 2012}],
        "Still There": [{"role": JetRole.ALT, "prefecture_code": 28, "start_year": 2010,
                         "end_year": 2012},
                        {"role": JetRole.CIR, "prefecture_code": 13, "start_year": 2013}],
    }
    for name, placements in histories.items():
        user = make_user(name)
        make_membership(user, world.branch)
        _profile(db, user, placements=placements)
    found = suggestions(req, req.roles[0])
    assert [s.name for s in found] == ["Alt Then Cir"]
    assert found[0].jet_roles == "ALT/CIR"
    assert found[0].end_year == 2016
    assert set(found[0].prefecture.split("/")) == {"Tokyo", "Hyogo"}
    assert set(found[0].prefecture_ja.split("/")) == {"東京都", "兵庫県"}
    cards = queries.cards(world.users["mission"], [u.id for u in db.scalars(
        sa.select(User).where(User.name == "Alt Then Cir"))])
    card = next(iter(cards.values()))
    assert (card.jet_roles, card.years) == ("ALT/CIR", "2010–2016")
    assert card.prefecture == "Tokyo/Hyogo"
