"""Japan's overseas missions and the branches in their jurisdiction."""

import sqlalchemy as sa
from flask import Blueprint, abort, render_template
from sqlalchemy.orm import selectinload

from jetaa.extensions import db
from jetaa.missions.models import Mission

bp = Blueprint("missions", __name__, url_prefix="/missions")


@bp.route("")
def index() -> str:
    missions = db.session.scalars(
        sa.select(Mission).options(selectinload(Mission.branches))
        .order_by(Mission.country, Mission.name)
    ).all()
    return render_template("missions/index.html", missions=missions)


@bp.route("/<slug>")
def show(slug: str) -> str:
    mission = db.session.scalar(
        sa.select(Mission).where(Mission.slug == slug).options(selectinload(Mission.branches))
    )
    if mission is None:
        abort(404)
    return render_template("missions/show.html", mission=mission)
