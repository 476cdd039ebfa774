"""Listing, searching, counting and updating branches."""

import pytest
import sqlalchemy as sa

from jetaa.audit.models import AuditEntry
from jetaa.branches import services
from jetaa.branches.models import JoinPolicy
from jetaa.memberships.services import officers_of


@pytest.fixture
def branches(make_branch):
    return {
        "nyc": make_branch(slug="nyc", name="JETAA New York", country="US",
                           country_name="United States", region="New York, New Jersey",
                           grouping="JETAA USA"),
        "sea": make_branch(slug="sea", name="JETAA Pacific Northwest", country="US",
                           country_name="United States", region="Seattle", grouping="JETAA USA"),
        "ldn": make_branch(slug="ldn", name="JETAA London", country="GB",
                           country_name="United Kingdom", region="South East England",
                           grouping="JETAA UK"),
        "tor": make_branch(slug="tor", name="JETAA Toronto", country="CA", country_name="Canada",
                           region="Ontario", grouping="JETAA Canada"),
    }


def _slugs(summaries):
    return [s.branch.slug for s in summaries]


def test_list_is_ordered_by_country_then_name(branches):
    assert _slugs(services.list_branches()) == ["tor", "ldn", "nyc", "sea"]


@pytest.mark.parametrize(("term", "expected"), [
    ("london", ["ldn"]),  # name
    ("LONDON", ["ldn"]),  # case-insensitive
    ("united states", ["nyc", "sea"]),  # country
    ("seattle", ["sea"]),  # region
    ("jetaa canada", ["tor"]),  # grouping
    ("  Ontario  ", ["tor"]),  # surrounding spaces
    ("nothing like it", []),
    ("", ["tor", "ldn", "nyc", "sea"]),
])
def test_search_by_name_country_region_grouping(branches, term, expected):
    assert _slugs(services.list_branches(term)) == expected


@pytest.mark.parametrize("term", ["%", "_", "J_TAA"])
def test_search_treats_wildcards_literally(branches, term):
    assert services.list_branches(term) == []


def test_member_counts_only_approved(branches, make_user, make_membership):
    nyc, ldn = branches["nyc"], branches["ldn"]
    for status in ("approved", "approved", "pending", "declined", "lapsed"):
        make_membership(make_user(), nyc, status=status)
    make_membership(make_user(), nyc, role="officer")
    make_membership(make_user(), ldn, status="pending")
    assert services.member_counts() == {nyc.id: 3}
    counts = {s.branch.slug: s.member_count for s in services.list_branches()}
    assert counts == {"nyc": 3, "sea": 0, "ldn": 0, "tor": 0}


def test_group_by_country_keeps_order(branches):
    groups = services.group_by_country(services.list_branches())
    assert [(country, _slugs(items)) for country, items in groups] == [
        ("Canada", ["tor"]), ("United Kingdom", ["ldn"]), ("United States", ["nyc", "sea"]),
    ]


def test_officers_of_lists_approved_officers_by_name(branches, make_user, make_membership):
    nyc = branches["nyc"]
    make_membership(make_user("Zed Officer"), nyc, role="officer")
    make_membership(make_user("Amy Officer"), nyc, role="officer")
    make_membership(make_user("Pam Pending"), nyc, role="officer", status="pending")
    make_membership(make_user("Mo Member"), nyc)
    make_membership(make_user("Lon Officer"), branches["ldn"], role="officer")
    assert [u.name for u in officers_of(nyc)] == ["Amy Officer", "Zed Officer"]


def test_update_branch_logs_old_and_new_values(branches, make_user, db):
    nyc, actor = branches["nyc"], make_user()
    changed = services.update_branch(
        nyc, {"name": "JETAA NYC", "region": "New York, New Jersey", "website": "https://x.example",
              "join_policy": JoinPolicy.OPEN}, actor=actor)
    db.commit()
    assert changed == {"name": ["JETAA New York", "JETAA NYC"],
                       "website": [None, "https://x.example"],
                       "join_policy": ["approval", "open"]}
    entry = db.scalars(sa.select(AuditEntry)).one()
    assert (entry.action, entry.actor_id, entry.object_type, entry.object_id, entry.branch_id) == (
        "branch.update", actor.id, "branch", nyc.id, nyc.id)
    assert entry.payload == {"changes": changed}
    db.expire_all()
    assert (nyc.name, nyc.website, nyc.join_policy) == ("JETAA NYC", "https://x.example",
                                                         JoinPolicy.OPEN)


def test_update_branch_without_changes_logs_nothing(branches, make_user, db):
    nyc = branches["nyc"]
    assert services.update_branch(nyc, {"name": nyc.name}, actor=make_user()) == {}
    db.commit()
    assert db.scalar(sa.select(sa.func.count(AuditEntry.id))) == 0
