"""Japan's overseas missions and the branches in their jurisdiction."""

import sqlalchemy as sa
from flask import Blueprint, render_template

from jetaa.branches.models import Branch
from jetaa.extensions import db
from jetaa.missions.models import Mission
from jetaa.missions.permissions import get_mission_or_404

bp = Blueprint("missions", __name__, url_prefix="/missions")


def _branches_by_mission(mission_ids: list[int]) -> dict[int, list[Branch]]:
    """The active branches of each mission's jurisdiction, by name, in one query."""
    result: dict[int, list[Branch]] = {mission_id: [] for mission_id in mission_ids}
    for branch in db.session.scalars(sa.select(Branch).where(Branch.mission_id.in_(mission_ids),
                                                             Branch.active)
                                     .order_by(Branch.name)):
        result[branch.mission_id].append(branch)
    return result


@bp.route("")
def index() -> str:
    missions = db.session.scalars(sa.select(Mission).where(Mission.active)
                                  .order_by(Mission.country, Mission.name)).all()
    return render_template("missions/index.html", missions=missions,
                           branches=_branches_by_mission([m.id for m in missions]))


@bp.route("/<slug>")
def show(slug: str) -> str:
    mission = get_mission_or_404(slug)
    return render_template("missions/show.html", mission=mission,
                           branches=_branches_by_mission([mission.id])[mission.id])
