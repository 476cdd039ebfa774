"""The members step of `flask demo-data`."""

import sqlalchemy as sa

from jetaa.auth.models import User
from jetaa.branches.models import Branch
from jetaa.demo.core import generate
from jetaa.members.models import AlumniProfile, Placement
from jetaa.memberships.models import Membership


def test_demo_profiles_have_a_privacy_spread_and_applications_wait(db):
    generate(300, seed=3, progress=lambda n: None)
    profiles = db.scalars(sa.select(AlumniProfile)).all()
    assert len(profiles) >= 300
    assert {p.visibility.value for p in profiles} == {"federation", "branches", "officers"}
    assert {p.contact_visibility.value for p in profiles} >= {"hidden", "officers"}
    assert any(p.open_to_mentoring for p in profiles)
    assert any(p.open_to_recruitment for p in profiles)
    assert db.scalar(sa.select(sa.func.count()).select_from(Placement)) >= 300
    # Some have a second placement, which starts when the first ends; first_year and
    # last_year follow.
    seconds = db.scalars(sa.select(Placement).where(Placement.position == 1)).all()
    assert seconds
    for second in seconds:
        profile = db.get(AlumniProfile, second.user_id)
        assert profile.first_year == profile.placements[0].start_year
        assert profile.last_year == second.end_year
        assert second.start_year >= profile.placements[0].end_year
    member = db.scalar(sa.select(User).where(User.email == "member@example.org"))
    placements = db.get(AlumniProfile, member.id).placements
    assert [(p.role.value, p.municipality) for p in placements] == [("ALT", "Himeji"),
                                                                    ("CIR", "Kobe")]
    new_york = db.scalar(sa.select(Branch).where(Branch.slug == "new-york"))
    waiting = db.scalars(sa.select(Membership).where(Membership.branch_id == new_york.id,
                                                     Membership.status == "pending")).all()
    assert waiting
    branches_waiting = db.scalars(sa.select(Membership.branch_id)
                                  .where(Membership.status == "pending").distinct()).all()
    assert len(branches_waiting) >= 3
    # Bulk-inserted people are searchable: their folded names were filled in.
    assert db.scalar(sa.select(sa.func.count()).select_from(User)
                     .where(User.name_key == "")) == 0
