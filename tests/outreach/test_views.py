"""What members and staff see: hours on a profile by choice, the volunteering history,
staff appointed and removed by their colleagues."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from jetaa.members.models import AlumniProfile
from jetaa.missions.models import MissionStaff
from jetaa.outreach.models import VolunteerSettings


def test_hours_show_on_the_profile_only_when_chosen(world, db, make_request, make_offer,
                                                    login_as):
    member = world.users["member"]
    db.add(AlumniProfile(user_id=member.id))
    req = make_request(days=-3)
    make_offer(req, member, status="confirmed", attended=True, hours_tenths=45)
    viewer = login_as(world.users["officer"])
    assert "hours of JET recruitment help" not in viewer.get(f"/members/{member.id}").get_data(
        as_text=True)
    mine = login_as(member)
    history = mine.get("/account/volunteering").get_data(as_text=True)
    assert "Info session at NYU" in history
    assert "4.5" in history
    assert mine.post("/account/volunteering", data={"show_hours_on_profile": "y"}).status_code == 302
    assert db.get(VolunteerSettings, member.id).show_hours_on_profile is True
    page = login_as(world.users["officer"]).get(f"/members/{member.id}").get_data(as_text=True)
    assert "4.5 hours of JET recruitment help" in page


def test_staff_appoint_and_remove_colleagues(world, db, make_user, login_as):
    colleague = make_user("Chie Colleague", email="chie@mofa.example")
    staff = login_as(world.users["mission"])
    response = staff.post("/missions/cg-test/staff", data={"email": "CHIE@mofa.example"})
    assert response.status_code == 302
    rows = set(db.scalars(sa.select(MissionStaff.user_id).where(
        MissionStaff.mission_id == world.mission.id)))
    assert rows == {world.users["mission"].id, colleague.id}
    again = staff.post("/missions/cg-test/staff", data={"email": "chie@mofa.example"})
    assert again.status_code == 400
    assert "already on the staff" in again.get_data(as_text=True)
    unknown = staff.post("/missions/cg-test/staff", data={"email": "nobody@example.com"})
    assert "No account has this address" in unknown.get_data(as_text=True)
    staff.post(f"/missions/cg-test/staff/{colleague.id}/remove")
    assert db.scalar(sa.select(MissionStaff).where(MissionStaff.user_id == colleague.id)) is None
    # The colleague, removed, sees the dashboard no more.
    assert login_as(colleague).get("/missions/cg-test/dashboard").status_code == 403


def test_dashboard_and_csv_figures(world, db, make_request, make_offer, login_as):
    req = make_request(days=-3)
    make_offer(req, world.users["member"], status="confirmed", attended=True, hours_tenths=30)
    req.people_reached = 80
    req.status = req.status.CLOSED
    db.commit()
    staff = login_as(world.users["mission"])
    page = staff.get(f"/missions/cg-test/dashboard?cycle={req.cycle}").get_data(as_text=True)
    assert "80" in page
    assert "3.0" in page
    csv = staff.get(f"/missions/cg-test/dashboard.csv?cycle={req.cycle}").get_data(as_text=True)
    assert "Info session at NYU" in csv
    assert "JETAA Home,1,1,1,0,3.0" in csv
    report = staff.get(f"/missions/cg-test/report/{req.cycle}?lang=ja").get_data(as_text=True)
    assert "JET募集支援" in report


def test_csv_days_are_local_and_zero_stays_zero(world, db, make_request, login_as):
    from datetime import datetime

    from jetaa.events.times import to_utc

    req = make_request(days=-3)
    req.timezone = "Australia/Sydney"
    req.starts_at = to_utc(datetime(2025, 12, 21, 9, 0), "Australia/Sydney")  # 20 Dec in UTC
    req.ends_at = req.starts_at + timedelta(hours=2)
    req.cycle, req.people_reached, req.status = "2025-26", 0, req.status.CLOSED
    db.commit()
    csv = login_as(world.users["mission"]).get(
        "/missions/cg-test/dashboard.csv?cycle=2025-26").get_data(as_text=True)
    line = next(row for row in csv.splitlines() if "Info session at NYU" in row)
    assert ",2025-12-21," in line
    assert line.endswith(",0,,")


def test_demo_outreach_counts_in_the_monthly_figures(db):
    """The demo's recruitment activities (bulk-inserted) are in the rollups the dashboards read."""
    from jetaa.activities.models import Activity, Category
    from jetaa.activities.rollups import month_figures
    from jetaa.demo.core import generate
    from jetaa.outreach.models import VolunteerOffer, VolunteerRequest

    generate(400, seed=5, progress=lambda n: None)
    recruitment = db.scalar(sa.select(sa.func.count(Activity.id)).where(
        Activity.category == Category.RECRUITMENT, Activity.id.in_(
            sa.select(VolunteerRequest.activity_id))))
    assert recruitment > 0
    assert db.scalar(sa.select(sa.func.count(VolunteerOffer.id))) > 0
    rolled = db.scalar(sa.select(sa.func.sum(month_figures.c.activities)).where(
        month_figures.c.category == Category.RECRUITMENT,
        month_figures.c.branch_id == month_figures.c.host_id))
    direct = db.scalar(sa.select(sa.func.count(Activity.id)).where(
        Activity.category == Category.RECRUITMENT, Activity.status == "verified"))
    assert rolled == direct


def test_the_dashboard_shows_the_countrys_own_cycle_dates(world, db, login_as):
    from datetime import date

    from jetaa.reference.models import RecruitmentDate

    db.add(RecruitmentDate(country="US", intake=2031, stage="interviews",
                           starts_on=date(2031, 1, 19), ends_on=date(2031, 2, 6)))
    db.commit()
    page = login_as(world.users["mission"]).get("/missions/cg-test/dashboard?cycle=2030-31")
    body = page.get_data(as_text=True)
    assert "19 Jan 2031 – 6 Feb 2031" in body
    assert "Interviews" in body
