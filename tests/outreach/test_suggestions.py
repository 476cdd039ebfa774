"""Suggestions: every part of the ranking, each role's own list, one query for them all."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jetaa.db import utcnow
from jetaa.members.models import AlumniProfile, JapaneseLevel, Jlpt, Placement
from jetaa.outreach.services import RoleData
from jetaa.outreach.suggestions import suggest, suggestions

YEAR = utcnow().year


@pytest.fixture
def member(db, world, make_user, make_membership):  # noqa: ANN001, ANN201
    """An opted-in member of the asked branch; `back` is the year their one placement ended
    ("on JET": still there, None: no placement at all)."""

    def make(name: str, *, back: int | str | None, **fields: object):  # noqa: ANN202
        user = make_user(name)
        make_membership(user, world.branch)
        if back == "on JET":
            placements = [Placement(position=0, start_year=YEAR - 1)]
        elif back is None:
            placements = []
        else:
            placements = [Placement(position=0, start_year=back - 2, end_year=back)]
        values = {"open_to_recruitment": True, "home_country": "US",
                  "current_city": "New York"}
        values.update(fields)
        db.add(AlumniProfile(user_id=user.id, placements=placements, **values))
        db.commit()
        return user

    return make


def _helped(db, make_request, make_offer, user, days_ago: int) -> None:  # noqa: ANN001
    """A confirmed offer on a request that started `days_ago` days ago."""
    past = make_request(status="closed")
    past.starts_at = utcnow() - timedelta(days=days_ago)
    past.ends_at = past.starts_at + timedelta(hours=2)
    db.commit()
    make_offer(past, user, status="confirmed")


def test_the_ranking_adds_every_part_and_ties_go_by_id(db, member, make_request, make_offer):
    """Japanese 0-25 (-5 when not given), JLPT 3-15, back lately 0-10, near 0-20 (3 when the
    city is unknown), helped lately -20 or -10; equal scores in the order people joined."""
    req = make_request()
    first = member("First", back=YEAR - 2, japanese_level=JapaneseLevel.FLUENT,
                   jlpt_level=Jlpt.N1)  # 20 + 15 + 8 + 20
    unknown = member("Unknown City", back=YEAR - 1, japanese_level=JapaneseLevel.BUSINESS,
                     jlpt_level=Jlpt.N3, current_city="Nowhere Special")  # 15 + 9 + 9 + 3
    twin = member("Twin", back=YEAR - 1, japanese_level=JapaneseLevel.BUSINESS,
                  jlpt_level=Jlpt.N3, current_city="Nowhere Special")
    long_ago = member("Helped Long Ago", back=YEAR - 3,
                      japanese_level=JapaneseLevel.BUSINESS)  # 15 + 7 + 20 - 10
    far = member("Far Native", back=YEAR - 12, japanese_level=JapaneseLevel.NATIVE,
                 current_city="Seattle")  # 25 + 0 + 0 + 0
    lately = member("Helped Lately", back=YEAR - 3,
                    japanese_level=JapaneseLevel.BUSINESS)  # 15 + 7 + 20 - 20
    nearby = member("Philadelphia", back=None, japanese_level=JapaneseLevel.CONVERSATIONAL,
                    current_city="Philadelphia")  # 10 + 0 + 0 + 12
    still = member("Still On Jet", back="on JET", jlpt_level=Jlpt.N5)  # -5 + 3 + 0 + 20
    _helped(db, make_request, make_offer, long_ago, 300)
    _helped(db, make_request, make_offer, lately, 100)
    found = suggestions(req, req.roles[0])
    assert [(s.name, s.score) for s in found] == [
        (first.name, 63), (unknown.name, 36), (twin.name, 36), (long_ago.name, 32),
        (far.name, 25), (lately.name, 22), (nearby.name, 22), (still.name, 18)]
    shown = {s.name: s for s in found}
    assert shown[first.name].end_year == YEAR - 2
    assert shown[first.name].jlpt == "N1"
    assert shown[first.name].km < 20
    assert shown[unknown.name].km is None
    assert 100 < shown[nearby.name].km < 200
    assert shown[still.name].end_year is None
    assert shown[still.name].japanese_level == ""
    assert shown[lately.name].last_helped.date() == (utcnow() - timedelta(days=100)).date()
    assert shown[first.name].last_helped is None
    assert [s.name for s in suggestions(req, req.roles[0], limit=3)] == [
        first.name, unknown.name, twin.name]


def test_each_role_has_its_own_list_from_one_query(db, world, member, make_request,
                                                   make_offer, count_queries):
    req = make_request(roles=[RoleData("Speaker", 1, min_japanese=JapaneseLevel.FLUENT,
                                       returned_max_years=5),
                              RoleData("Helper", 2)])
    speaker, helper = req.roles
    fluent = member("Fluent", back=YEAR - 2, japanese_level=JapaneseLevel.FLUENT)
    returned_long_ago = member("Back Long Ago", back=YEAR - 8,
                               japanese_level=JapaneseLevel.NATIVE)
    basic = member("Basic", back=YEAR - 1, japanese_level=JapaneseLevel.BASIC)
    make_offer(req, fluent, role=helper)  # already answering for Helper
    suggest(req, [speaker, helper])  # loads the request and roles the commit expired
    with count_queries() as statements:
        found = suggest(req, [speaker, helper])
    assert len(statements) == 1
    assert [s.name for s in found[speaker.id]] == [fluent.name]
    assert [s.name for s in found[helper.id]] == [returned_long_ago.name, basic.name]
    # The same as asking for each role alone (as an invitation does).
    assert found[speaker.id] == suggestions(req, speaker)
    assert found[helper.id] == suggestions(req, helper)
    assert suggestions(req, helper, only=basic.id) == found[helper.id][1:]
    assert suggestions(req, helper, only=fluent.id) == []


def test_the_request_page_asks_the_same_queries_however_many_candidates(
        db, world, member, make_request, login_as, client, count_queries):
    req = make_request(roles=[RoleData("Speaker", 1), RoleData("Helper", 2)])
    login_as(world.users["mission"])

    def page() -> tuple[int, str]:
        with count_queries() as statements:
            body = client.get(f"/outreach/{req.id}").get_data(as_text=True)
        return len(statements), body

    member("Only One", back=YEAR - 2, japanese_level=JapaneseLevel.FLUENT)
    few, body = page()
    assert body.count("<strong>Only One</strong>") == 2  # suggested for both roles
    for n in range(12):
        member(f"Candidate {n}", back=YEAR - 3, japanese_level=JapaneseLevel.BUSINESS)
    many, body = page()
    assert many == few
    assert body.count('name="user_id"') == 16  # eight a role
