"""Every route of the members feature (profiles, directory), for every role (its JSON: tests/api)."""

import pytest

from jetaa.members.models import Visibility
from jetaa.members.permissions import Owner, can_see_contact, can_see_profile, owners_of
from tests.conftest import LOGIN, ROLES, assert_answers, by_role, signed_in, table_rows

# (method, url) -> {role: expected status}; urls use {member} (a user id).
TABLE = {
    ("GET", "/directory"): signed_in(200, pending=403, mission=403),
    ("GET", "/branches/home/members"): by_role(403, anonymous=LOGIN, member=200, officer=200, admin=200),
    ("GET", "/members/{member}"): signed_in(200, pending=403, other_officer=404, mission=403),
    ("GET", "/profile/edit"): signed_in(200),
    ("GET", "/account/export.json"): signed_in(200),
    ("GET", "/account/delete"): signed_in(200),
    ("POST", "/profile/edit"): signed_in(200),
    ("POST", "/account/delete"): signed_in(200),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url"), table_rows(TABLE))
def test_route_answers_each_role(world, login_as, role, method, url):
    path = url.format(member=world.users["member"].id)
    response = login_as(world.users[role]).open(path, method=method)
    assert_answers(response, TABLE[method, url][role])


def test_nav_shows_directory_and_branch_admin_to_officers(world, login_as):
    page = login_as(world.users["officer"]).get("/branches").get_data(as_text=True)
    assert 'href="/directory"' in page
    assert 'href="/branches/home/roster"' in page
    page = login_as(world.users["pending"]).get("/branches").get_data(as_text=True)
    assert 'href="/directory"' not in page
    page = login_as(world.users["member"]).get("/branches").get_data(as_text=True)
    assert 'href="/directory"' in page
    assert "/roster" not in page


# can_see_profile: the owner is an approved member of `home` (own) or `away` (other).
# A profile is never hidden from the officers of the member's own branch: "hidden"
# (meant for contact details) reads as "officers" for the profile itself.
PROFILE_OWN = {
    Visibility.HIDDEN: by_role(False, officer=True, admin=True),
    Visibility.OFFICERS: by_role(False, officer=True, admin=True),
    Visibility.BRANCHES: by_role(False, member=True, officer=True, admin=True),
    Visibility.FEDERATION: by_role(False, member=True, officer=True, other_officer=True, admin=True),
}
PROFILE_OTHER = {
    Visibility.HIDDEN: by_role(False, other_officer=True, admin=True),
    Visibility.OFFICERS: by_role(False, other_officer=True, admin=True),
    Visibility.BRANCHES: by_role(False, other_officer=True, admin=True),
    Visibility.FEDERATION: by_role(False, member=True, officer=True, other_officer=True, admin=True),
}


def _owner(user, branch, visibility, contact=Visibility.HIDDEN) -> Owner:  # noqa: ANN001
    return Owner(user.id, frozenset({branch.id}), visibility.value, contact.value, True)


@pytest.mark.parametrize("visibility", list(Visibility), ids=[v.value for v in Visibility])
@pytest.mark.parametrize("role", ROLES)
def test_can_see_profile(world, make_user, make_membership, visibility, role):
    viewer = world.users[role]
    own_owner, other_owner = make_user(), make_user()
    assert can_see_profile(viewer, _owner(own_owner, world.branch, visibility)) \
        is PROFILE_OWN[visibility][role]
    assert can_see_profile(viewer, _owner(other_owner, world.other_branch, visibility)) \
        is PROFILE_OTHER[visibility][role]


# can_see_contact alone, for an owner of `home`: "hidden" means the member and admins only.
CONTACT_OWN = {**PROFILE_OWN, Visibility.HIDDEN: by_role(False, admin=True)}


@pytest.mark.parametrize("contact", list(Visibility), ids=[v.value for v in Visibility])
@pytest.mark.parametrize("role", ROLES)
def test_contact_details_need_both_gates(world, make_user, contact, role):
    """The contact gate never opens wider than the profile gate."""
    viewer, owner = world.users[role], make_user()
    for visibility in Visibility:
        expected = PROFILE_OWN[visibility][role] and CONTACT_OWN[contact][role]
        assert can_see_contact(viewer, _owner(owner, world.branch, visibility, contact)) \
            is expected, visibility


@pytest.mark.parametrize("visibility", list(Visibility), ids=[v.value for v in Visibility])
def test_everyone_sees_their_own_profile(world, visibility):
    member = world.users["member"]
    assert can_see_profile(member, _owner(member, world.branch, visibility))
    assert can_see_contact(member, _owner(member, world.branch, visibility, visibility))


@pytest.mark.parametrize("visibility", list(Visibility), ids=[v.value for v in Visibility])
def test_someone_in_no_branch_is_shown_to_no_other_member(world, visibility):
    """Left or lapsed everywhere: the gate itself says no (event attendees ask it too)."""
    owner = world.users["member"]
    nowhere = Owner(owner.id, frozenset(), visibility.value, visibility.value, True)
    for role in ("officer", "other_officer", "mission", "pending"):
        assert not can_see_profile(world.users[role], nowhere)
        assert not can_see_contact(world.users[role], nowhere)
    assert can_see_profile(owner, nowhere)
    assert can_see_profile(world.users["admin"], nowhere)


def test_owners_are_loaded_for_many_people_in_one_query(world, make_user, make_membership,
                                                        make_profile, count_queries):
    """The gates' one input: approved branches now, the chosen visibilities, defaults without
    a profile row."""
    lapsed, profiled, bare = make_user(), make_user(), make_user()
    make_membership(lapsed, world.branch, status="lapsed")
    make_membership(profiled, world.branch)
    make_membership(profiled, world.other_branch, primary=False)
    make_membership(bare, world.other_branch)
    make_profile(profiled, visibility=Visibility.FEDERATION, contact_visibility=Visibility.OFFICERS)
    ids = [lapsed.id, profiled.id, bare.id]
    with count_queries() as statements:
        owners = owners_of(ids)
    assert len(statements) == 1
    assert owners[lapsed.id] == Owner(lapsed.id, frozenset())
    assert owners[profiled.id] == Owner(profiled.id, frozenset({world.branch.id,
                                                                world.other_branch.id}),
                                        "federation", "officers", True)
    assert owners[bare.id] == Owner(bare.id, frozenset({world.other_branch.id}), "branches",
                                    "hidden", False)
