"""A small typo in a name search still finds the person, without revealing hidden people."""

from jetaa.members.models import Visibility
from jetaa.members.services.spelling import corrected
from tests.members.test_directory import home_member  # noqa: F401 (fixture)


def test_tanka_finds_tanaka_and_says_so(world, login_as, home_member):  # noqa: F811
    home_member("Kenji Tanaka")
    home_member("Someone Else")
    page = login_as(world.users["member"]).get("/directory?q=tanka").get_data(as_text=True)
    assert "Kenji Tanaka" in page
    assert "Someone Else" not in page
    assert "No one matches “tanka”; showing members matching “tanaka”." in page


def test_exact_matches_are_not_corrected(world, home_member):  # noqa: F811
    home_member("Kenji Tanaka")
    assert corrected("tanaka") is None
    assert corrected("ken") is None  # short words are left as typed
    assert corrected("zzzzzz") is None


def test_a_hidden_member_is_never_suggested(world, login_as, home_member, make_user,  # noqa: F811
                                            make_membership, make_profile):
    hidden = make_user("Hana Yoshikawa")
    make_membership(hidden, world.other_branch)
    make_profile(hidden, visibility=Visibility.OFFICERS)
    page = login_as(world.users["member"]).get("/directory?q=yoshikwa").get_data(as_text=True)
    assert "Yoshikawa" not in page
    assert "yoshikawa" not in page
    assert "0 members found" in page
