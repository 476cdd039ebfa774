"""The home page, the health check and the language switch."""

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from jetaa.branches.models import Branch
from jetaa.branches.services import member_total
from jetaa.core.urls import safe_next
from jetaa.extensions import db

bp = Blueprint("core", __name__)


@bp.route("/")
def index() -> str:
    """Visitors: the public home. Signed in: the personal home (jetaa/home/)."""
    if current_user.is_authenticated:
        from jetaa.home.views import personal_home

        return personal_home()
    return render_template(
        "core/index.html",
        branch_count=db.session.scalar(sa.select(sa.func.count(Branch.id))
                                       .where(Branch.active)),
        member_total=member_total(),
    )


@bp.route("/about")
def about() -> str:
    """What JET and JETAA are. Also the bench's trivial HTML page: layout only, no queries."""
    return render_template("core/about.html")


@bp.route("/healthz")
def healthz() -> tuple[Response, int]:
    """For load balancers: is the app up and can it reach its database?"""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as error:
        current_app.logger.error("health check: database unreachable: %s", error)
        db.session.rollback()
        return jsonify(status="error", database="unreachable",
                       reason=type(error).__name__), 503
    return jsonify(status="ok", database="ok"), 200


@bp.route("/language", methods=["POST"])
def set_language() -> Response:
    """Remember the chosen language for this browser (and the account)."""
    language = request.form.get("language", "")
    if language in current_app.config["LANGUAGES"]:
        session["locale"] = language
        if current_user.is_authenticated:
            current_user.locale = language
            db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("core.index"))
