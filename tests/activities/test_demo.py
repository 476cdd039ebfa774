"""The activities step of `flask demo-data`: ten years of logs, New York's queue, photos."""

from collections import Counter
from datetime import timedelta

import sqlalchemy as sa

from jetaa.activities.demo import SOUTH
from jetaa.activities.models import (
    Activity,
    ActivityMember,
    ActivityPartner,
    ActivityPhoto,
    ActivityStatus,
    Category,
    FundingSource,
    VolunteerRate,
)
from jetaa.activities.uploads import photo_path
from jetaa.auth.models import User
from jetaa.branches.models import Branch
from jetaa.db import utcnow
from jetaa.demo.core import generate, wipe_database
from jetaa.memberships.models import Membership

S = ActivityStatus


def _all(db, model):
    return db.scalars(sa.select(model).order_by(*model.__table__.primary_key.columns)).all()


def _user_id(db, email: str) -> int:
    return db.scalar(sa.select(User.id).where(User.email == email))


def test_ten_years_of_activities_for_every_branch(db):
    generate(300, seed=3, progress=lambda n: None)
    activities, today = _all(db, Activity), utcnow().date()
    assert len(activities) > 1500
    assert {a.branch_id for a in activities} == set(db.scalars(sa.select(Branch.id)))
    assert min(a.starts_on for a in activities) >= today - timedelta(days=3660)
    assert min(a.starts_on for a in activities) < today - timedelta(days=3400)
    assert {a.category for a in activities} == set(Category)
    for a in activities:  # what services.check would accept
        days = (a.ends_on - a.starts_on).days + 1
        assert a.starts_on <= a.ends_on <= today
        assert days <= 366
        assert 0 < a.volunteer_tenths <= a.volunteers * 240 * days
        assert a.members_involved <= a.volunteers
        assert max(a.money_raised, a.money_spent) < 2**31  # PostgreSQL's integer
        assert not a.is_published or a.status == S.VERIFIED
    branches = {b.id: b for b in db.scalars(sa.select(Branch))}
    currency = {branches[a.branch_id].country: a.currency for a in activities}
    assert (currency["US"], currency["GB"], currency["IE"], currency["KR"]) == (
        "USD", "GBP", "EUR", "KRW")
    funders = Counter(a.funding_source for a in activities if a.money_spent)
    assert funders.most_common(1)[0][0] == FundingSource.CLAIR
    assert db.scalar(sa.select(sa.func.count()).select_from(VolunteerRate)) == 12


def test_statuses_seasons_partners_and_members_look_real(db):
    generate(300, seed=3, progress=lambda n: None)
    activities, today = _all(db, Activity), utcnow().date()
    old = [a for a in activities if a.ends_on < today - timedelta(days=150)]
    assert sum(a.status == S.VERIFIED for a in old) / len(old) > 0.93
    assert sum(a.is_published for a in old) / len(old) > 0.4
    recent = Counter(a.status for a in activities if a.ends_on > today - timedelta(days=90))
    assert recent[S.SUBMITTED]
    assert recent[S.CHANGES_REQUESTED]
    assert recent[S.DRAFT]
    for a in activities:
        assert (a.reviewed_by_id is not None) == (a.status in (S.VERIFIED, S.REJECTED,
                                                                S.CHANGES_REQUESTED))
        assert (a.submitted_at is None) == (a.status == S.DRAFT)
    south = set(db.scalars(sa.select(Branch.id).where(Branch.country.in_(SOUTH))))
    north = [a for a in activities if a.branch_id not in south]
    months = {c: Counter(a.starts_on.month for a in north if a.category == c) for c in Category}
    assert months[Category.SCHOOLS][7] == months[Category.SCHOOLS][8] == 0  # summer holidays
    assert months[Category.MENTORING].most_common(1)[0][0] == 7  # pre-departure orientations
    festivals = months[Category.FESTIVALS]
    assert sum(festivals[m] for m in (4, 5, 6, 7, 8)) > 4 * sum(festivals[m] for m in (11, 12, 1, 2))
    # A branch's partners come from its own pool, so the top ones repeat.
    new_york = db.scalar(sa.select(Branch.id).where(Branch.slug == "new-york"))
    names = Counter(db.scalars(sa.select(ActivityPartner.name).join(Activity)
                               .where(Activity.branch_id == new_york)))
    assert names.most_common(1)[0][1] >= 10
    assert len(names) <= 14
    # Named members are approved members of the activity's branch; some are hidden.
    approved = set(db.execute(sa.select(Membership.user_id, Membership.branch_id)
                              .where(Membership.status == "approved")).all())
    branch_of = {a.id: a.branch_id for a in activities}
    named = _all(db, ActivityMember)
    assert named
    assert all((m.user_id, branch_of[m.activity_id]) in approved for m in named)
    assert any(m.hidden for m in named)
    assert not all(m.hidden for m in named)


def test_new_york_has_a_review_queue_for_the_demo_logins(db):
    generate(300, seed=3, progress=lambda n: None)
    officer = _user_id(db, "officer@example.org")
    member = _user_id(db, "member@example.org")
    new_york = db.scalar(sa.select(Branch.id).where(Branch.slug == "new-york"))
    queue = db.scalars(sa.select(Activity).where(Activity.branch_id == new_york,
                                                 Activity.status == S.SUBMITTED)).all()
    authors = Counter(a.created_by_id for a in queue)
    assert authors[officer] == 1  # his own, which he may not verify
    assert sum(n for author, n in authors.items() if author not in (officer, member)) >= 5
    mine = db.scalars(sa.select(Activity).where(Activity.created_by_id == member)).all()
    assert sorted(a.status for a in mine) == sorted([S.DRAFT, S.CHANGES_REQUESTED])
    sent_back = next(a for a in mine if a.status == S.CHANGES_REQUESTED)
    assert sent_back.review_comment
    assert sent_back.reviewed_by_id == officer
    assert all(a.branch_id == new_york for a in mine)


def test_some_activities_have_generated_photos_on_disk(db):
    generate(300, seed=3, progress=lambda n: None)
    photos = _all(db, ActivityPhoto)
    with_photos = {p.activity_id for p in photos}
    assert 15 <= len(with_photos) <= 20
    new_york = db.scalar(sa.select(Branch.id).where(Branch.slug == "new-york"))
    hosts = Counter(db.scalars(sa.select(Activity.branch_id).where(Activity.id.in_(with_photos))))
    assert hosts[new_york] > len(with_photos) / 2
    assert any(p.in_report for p in photos)
    assert not all(p.in_report for p in photos)
    for photo in photos:
        assert photo.content_type == "image/jpeg"
        assert (photo.width, photo.height) == (640, 448)
        assert photo_path(photo).stat().st_size == photo.size
        assert photo_path(photo, thumb=True).is_file()
    shown = db.scalars(sa.select(Activity).where(Activity.id.in_(with_photos))).all()
    assert all(a.is_published and a.status == S.VERIFIED for a in shown)


def _digest(db) -> list[tuple]:
    slugs = dict(db.execute(sa.select(Branch.id, Branch.slug)).all())
    emails = dict(db.execute(sa.select(User.id, User.email)).all())
    partners = Counter(db.scalars(sa.select(ActivityPartner.name)))
    members = db.scalar(sa.select(sa.func.count()).select_from(ActivityMember))
    return [(slugs[a.branch_id], a.title, a.category, a.starts_on, a.ends_on, a.city,
             a.people_reached, a.volunteer_tenths, a.money_raised, a.money_spent, a.currency,
             a.funding_source, a.status, a.is_published, emails.get(a.created_by_id))
            for a in _all(db, Activity)] + [sorted(partners.items()), members]


def test_the_same_seed_makes_the_same_activities(db):
    generate(200, seed=5, progress=lambda n: None)
    first = _digest(db)
    assert len(first) > 1000
    wipe_database()
    generate(200, seed=5, progress=lambda n: None)
    assert _digest(db) == first
