"""The reference data the project ships (jetaa/data/) and `flask load-branches`."""

import re
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from jetaa.branches.models import Branch, JoinPolicy
from jetaa.missions.models import Mission, MissionKind
from jetaa.reference.models import Prefecture
from jetaa.reference.services import read_data

BRANCHES = read_data("branches.json")
MISSIONS = read_data("missions.json")
PREFECTURES = read_data("prefectures.json")


def test_branches_with_evidence_and_unique_slugs():
    """MOFA counts 54 branches (Dec 2022); 52 are supported by public sources (README)."""
    assert len(BRANCHES) == 52
    slugs = [b["slug"] for b in BRANCHES]
    assert [s for s, n in Counter(slugs).items() if n > 1] == []
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s) for s in slugs)
    assert "new-york" in slugs


def test_every_branch_is_complete():
    for branch in BRANCHES:
        for field in ("name", "country", "country_name", "grouping", "timezone", "description"):
            assert branch[field], (branch["slug"], field)
        assert re.fullmatch(r"[A-Z]{2}", branch["country"]), branch["slug"]
        assert branch["grouping"].startswith("JETAA "), branch["slug"]
        assert branch.get("website") is None or branch["website"].startswith(("http://", "https://"))


def test_branch_groupings_match_the_federation():
    groups = Counter(b["grouping"] for b in BRANCHES)
    assert groups["JETAA USA"] == 19
    assert groups["JETAA Canada"] == 7
    assert groups["JETAA Australia"] == 5
    assert groups["JETAA New Zealand"] == 3
    assert groups["JETAA UK"] == 5


def test_branches_the_sources_do_not_support_are_gone():
    slugs = {b["slug"] for b in BRANCHES}
    assert not slugs & {"wales", "northern-ireland", "peru", "argentina", "china"}
    assert {"india", "indonesia", "north-east"} <= slugs
    germany = next(b for b in BRANCHES if b["slug"] == "germany")
    assert germany["name"] == "German JETAA"


def test_mid_south_is_served_from_nashville():
    """The Consulate-General in New Orleans closed at the end of 2007 (nola.com)."""
    assert next(b for b in BRANCHES if b["slug"] == "mid-south")["mission"] == "cg-nashville"
    missions = {m["slug"]: m for m in MISSIONS}
    assert "cg-new-orleans" not in missions
    assert missions["co-anchorage"]["name_ja"] == "在アンカレジ領事事務所"
    assert missions["co-noumea"]["kind"] == "consular_office"


@pytest.mark.parametrize("branch", BRANCHES, ids=[b["slug"] for b in BRANCHES])
def test_branch_time_zone_and_mission_exist(branch):
    assert ZoneInfo(branch["timezone"])
    assert branch["mission"] in {m["slug"] for m in MISSIONS}


def test_missions_are_valid():
    slugs = [m["slug"] for m in MISSIONS]
    assert len(slugs) == len(set(slugs))
    for mission in MISSIONS:
        MissionKind(mission["kind"])
        assert ZoneInfo(mission["timezone"]), mission["slug"]
        assert mission["name"], mission["slug"]
        assert mission["city"], mission["slug"]
    assert "cg-new-york" in slugs


def test_forty_seven_prefectures():
    assert [p["code"] for p in PREFECTURES] == list(range(1, 48))
    assert len({p["slug"] for p in PREFECTURES}) == 47
    assert PREFECTURES[0]["name"] == "Hokkaido"
    assert PREFECTURES[12]["name_ja"] == "東京都"
    assert PREFECTURES[46]["name"] == "Okinawa"
    assert all(p["name_ja"] and p["region"] for p in PREFECTURES)


def _counts(db) -> tuple[int, int, int]:
    return tuple(db.scalar(sa.select(sa.func.count()).select_from(model))
                 for model in (Branch, Mission, Prefecture))


def test_load_branches_is_idempotent(app, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["load-branches"])
    assert first.exit_code == 0, first.output
    assert "branches: 52 created, 0 updated\n" in first.output
    assert _counts(db) == (52, len(MISSIONS), 47)
    again = runner.invoke(args=["load-branches"])
    assert again.exit_code == 0, again.output
    assert "branches: 0 created, 52 updated\n" in again.output
    assert "prefectures: 0 created, 47 updated" in again.output
    assert _counts(db) == (52, len(MISSIONS), 47)


def test_load_branches_links_branches_to_missions(app, db):
    app.test_cli_runner().invoke(args=["load-branches"])
    branch = db.scalar(sa.select(Branch).where(Branch.slug == "new-york"))
    assert (branch.name, branch.country, branch.timezone) == ("JETAA New York", "US",
                                                              "America/New_York")
    assert branch.mission.slug == "cg-new-york"
    linked = db.scalar(sa.select(sa.func.count()).select_from(Branch)
                       .where(Branch.mission_id.is_not(None)))
    assert linked == 52


def test_reload_restores_file_values_and_keeps_the_rest(app, db, make_branch):
    """load-branches upserts by slug: the file wins for the fields it holds.

    Fields the file does not hold (join policy) and branches it does not list stay.
    """
    runner = app.test_cli_runner()
    runner.invoke(args=["load-branches"])
    branch = db.scalar(sa.select(Branch).where(Branch.slug == "new-york"))
    branch_id = branch.id
    branch.name, branch.timezone = "Renamed by hand", "Europe/Paris"
    branch.join_policy = JoinPolicy.OPEN
    db.get(Prefecture, 13).name = "Edo"
    make_branch(slug="extra-branch")
    db.commit()
    assert runner.invoke(args=["load-branches"]).exit_code == 0
    db.expire_all()
    branch = db.get(Branch, branch_id)
    assert (branch.name, branch.timezone) == ("JETAA New York", "America/New_York")
    assert branch.join_policy == JoinPolicy.OPEN
    assert db.get(Prefecture, 13).name == "Tokyo"
    assert _counts(db)[0] == 53
    extra = db.scalar(sa.select(Branch).where(Branch.slug == "extra-branch"))
    assert not extra.active  # kept, but the file no longer lists it
