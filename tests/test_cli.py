"""The flask commands: create-admin, demo-data, check-db."""

import sqlalchemy as sa

from jetaa.audit.models import AuditEntry
from jetaa.auth.models import User
from jetaa.auth.passwords import verify_password
from jetaa.branches.models import Branch
from jetaa.demo.core import DEMO_PASSWORD
from jetaa.extensions import db as _db
from jetaa.members.models import AlumniProfile, JetRole, Placement
from jetaa.memberships.models import MemberRole, Membership, MembershipStatus
from jetaa.missions.models import Mission, MissionStaff

STRONG = "a long and unusual passphrase"


def _run(app, *args, **kwargs):
    return app.test_cli_runner().invoke(args=list(args), **kwargs)


def _count(db, model) -> int:
    return db.scalar(sa.select(sa.func.count()).select_from(model))


# create-admin ------------------------------------------------------------------

def test_create_admin_makes_a_confirmed_admin_account(app, db):
    result = _run(app, "create-admin", "  Boss@Example.ORG ", "--name", "Big Boss",
                  "--password", STRONG)
    assert result.exit_code == 0, result.output
    assert "boss@example.org is a federation admin." in result.output
    user = db.scalars(sa.select(User)).one()
    assert (user.email, user.name, user.is_admin, user.is_confirmed) == (
        "boss@example.org", "Big Boss", True, True)
    assert verify_password(user.password_hash, STRONG)
    entry = db.scalars(sa.select(AuditEntry)).one()
    assert (entry.action, entry.actor_id, entry.object_id, entry.payload) == (
        "admin.appoint", None, user.id, {"via": "cli"})


def test_create_admin_prompts_for_the_password(app, db):
    result = _run(app, "create-admin", "boss@example.org", input=f"{STRONG}\n{STRONG}\n")
    assert result.exit_code == 0, result.output
    assert verify_password(db.scalars(sa.select(User)).one().password_hash, STRONG)


def test_create_admin_promotes_an_existing_account_and_keeps_its_password(app, db, make_user):
    user = make_user("Existing Person", "someone@example.com")
    old_hash = user.password_hash
    result = _run(app, "create-admin", "SOMEONE@example.com", "--password", "ignored")
    assert result.exit_code == 0, result.output
    db.expire_all()
    assert user.is_admin
    assert user.password_hash == old_hash
    assert user.name == "Existing Person"
    assert _count(db, User) == 1


def test_create_admin_refuses_a_weak_password(app, db):
    for weak in ("short", "password1234", "boss@example.org"):
        result = _run(app, "create-admin", "boss@example.org", "--password", weak)
        assert result.exit_code != 0
        assert "Error:" in result.output
    assert _count(db, User) == 0
    assert _count(db, AuditEntry) == 0


# demo-data ---------------------------------------------------------------------

def _people(db) -> list[tuple[str, str]]:
    return list(db.execute(sa.select(User.email, User.name).order_by(User.email)).tuples())


def _profiles(db) -> list[tuple]:
    query = (sa.select(User.email, Placement.position, Placement.role, Placement.prefecture_code,
                       Placement.start_year, Placement.end_year, AlumniProfile.first_year)
             .join(User, User.id == AlumniProfile.user_id)
             .join(Placement, Placement.user_id == AlumniProfile.user_id)
             .order_by(User.email, Placement.position))
    return list(db.execute(query).tuples())


def _memberships(db) -> list[tuple]:
    query = (sa.select(User.email, Branch.slug, Membership.role, Membership.status)
             .join(User, User.id == Membership.user_id)
             .join(Branch, Branch.id == Membership.branch_id)
             .order_by(User.email, Branch.slug))
    return list(db.execute(query).tuples())


def test_demo_data_is_deterministic(app, db):
    result = _run(app, "demo-data", "--members", "300", "--seed", "7")
    assert result.exit_code == 0, result.output
    assert "Demo data for 300 members made in" in result.output
    first = (_people(db), _profiles(db), _memberships(db))
    assert len(first[0]) >= 304
    result = _run(app, "demo-data", "--members", "300", "--seed", "7", "--reset")
    assert result.exit_code == 0, result.output
    db.expire_all()
    assert (_people(db), _profiles(db), _memberships(db)) == first
    # Another seed, another federation.
    _run(app, "demo-data", "--members", "300", "--seed", "8", "--reset")
    assert _people(db) != first[0]


def test_demo_data_refuses_a_database_with_data(app, db, make_user):
    user = make_user("Real Person", "real@example.com")
    result = _run(app, "demo-data", "--members", "10")
    assert result.exit_code != 0
    assert "--reset" in result.output
    assert _people(db) == [("real@example.com", "Real Person")]
    # --if-empty: succeed and leave the data alone.
    result = _run(app, "demo-data", "--members", "10", "--if-empty")
    assert result.exit_code == 0, result.output
    assert "demo data not loaded" in result.output
    assert _people(db) == [("real@example.com", "Real Person")]
    assert db.get(User, user.id) is not None


def test_demo_data_if_empty_loads_an_empty_database(app, db):
    result = _run(app, "demo-data", "--members", "20", "--seed", "3", "--if-empty")
    assert result.exit_code == 0, result.output
    assert _count(db, AlumniProfile) == 22  # the demo officer and member have one too
    assert "admin@example.org" in result.output


def test_demo_logins_have_their_roles(app, db):
    assert _run(app, "demo-data", "--members", "300", "--seed", "7").exit_code == 0
    users = {u.email: u for u in db.scalars(sa.select(User).where(
        User.email.in_(["admin@example.org", "officer@example.org", "member@example.org",
                        "mission@example.org"])))}
    assert len(users) == 4
    assert all(verify_password(u.password_hash, DEMO_PASSWORD) for u in users.values())
    assert all(u.is_confirmed for u in users.values())
    assert [e for e, u in users.items() if u.is_admin] == ["admin@example.org"]

    new_york = db.scalar(sa.select(Branch).where(Branch.slug == "new-york"))

    def membership(email):
        return db.scalar(sa.select(Membership).where(
            Membership.user_id == users[email].id, Membership.branch_id == new_york.id))

    officer, member = membership("officer@example.org"), membership("member@example.org")
    assert (officer.role, officer.status) == (MemberRole.OFFICER, MembershipStatus.APPROVED)
    assert (member.role, member.status) == (MemberRole.MEMBER, MembershipStatus.APPROVED)
    staff = db.scalars(sa.select(Mission.slug).join(MissionStaff).where(
        MissionStaff.user_id == users["mission@example.org"].id)).all()
    assert staff == ["cg-new-york"]


def test_demo_data_is_realistic(app, db):
    assert _run(app, "demo-data", "--members", "300", "--seed", "7").exit_code == 0
    assert _count(db, Branch) == 52
    # People who held a role, whatever their number of placements in it.
    roles = dict(db.execute(sa.select(Placement.role, sa.func.count(sa.distinct(Placement.user_id)))
                            .group_by(Placement.role)).tuples().all())
    total = _count(db, AlumniProfile)
    assert total == 302
    # Some people write their name in Japanese script, so a search for 田中 finds someone.
    names = db.scalars(sa.select(User.name)).all()
    assert sum(1 for n in names if any("\u3040" <= c <= "\u9fff" for c in n)) >= 7
    assert "田中 花子" in names
    # A few people served in two roles (ALT, then CIR), so shares can sum past one.
    assert 0.80 <= roles[JetRole.ALT] / total <= 0.97
    assert 0.03 <= roles.get(JetRole.CIR, 0) / total <= 0.18
    assert roles.get(JetRole.SEA, 0) / total <= 0.03
    low, high = db.execute(sa.select(sa.func.min(Placement.start_year),
                                     sa.func.max(Placement.end_year))).one()
    assert low >= 1987
    assert high <= 2026
    assert _count(db, Placement) == db.scalar(
        sa.select(sa.func.count()).select_from(Placement)
        .where(Placement.end_year >= Placement.start_year))
    # Some served twice (an ALT, then a CIR elsewhere): a list of placements, in order.
    twice = db.scalar(sa.select(sa.func.count()).select_from(Placement)
                      .where(Placement.position == 1))
    assert 3 <= twice <= 40
    # Every alumnus belongs to a branch; every branch with members has officers.
    in_a_branch = db.scalar(sa.select(sa.func.count(sa.distinct(Membership.user_id))))
    assert in_a_branch == 302
    officers = db.scalar(sa.select(sa.func.count()).select_from(Membership)
                         .where(Membership.role == MemberRole.OFFICER))
    assert officers >= 52
    assert _count(db, MissionStaff) > _count(db, Mission)


# check-db ----------------------------------------------------------------------

def test_check_db(app):
    result = _run(app, "check-db")
    assert result.exit_code == 0
    assert "database ok" in result.output


def test_check_db_fails_when_the_database_is_unreachable(app, monkeypatch):
    def broken(*args, **kwargs):
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(_db.session, "execute", broken)
    result = _run(app, "check-db")
    assert result.exit_code == 1
    assert "database unreachable" in result.output
