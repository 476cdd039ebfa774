"""The admins' table of what an hour of volunteer time is worth, per country."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from jetaa.activities import services
from jetaa.activities.forms import VolunteerRateForm
from jetaa.activities.models import VolunteerRate
from jetaa.extensions import db
from jetaa.permissions import admin_required

bp = Blueprint("volunteer_rates", __name__, url_prefix="/admin/volunteer-rates")


@bp.route("")
@admin_required
def index() -> str:
    rates = db.session.scalars(sa.select(VolunteerRate).order_by(VolunteerRate.country)).all()
    return render_template("activities/rates.html", rates=rates)


@bp.route("/new", methods=["GET", "POST"], defaults={"country": None})
@bp.route("/<country>/edit", methods=["GET", "POST"])
@admin_required
def edit(country: str | None) -> Response | str:
    rate = None
    if country is not None:
        rate = db.session.get(VolunteerRate, country.upper()) if len(country) == 2 else None
        if rate is None:
            abort(404)
    form = VolunteerRateForm(obj=rate)
    if rate is not None and request.method == "GET":
        form.hourly_rate.data = services.major_units(rate.hourly_rate, rate.currency)
    if rate is not None:
        del form.country  # a rate's country is its key: add another country instead
    if form.validate_on_submit():
        code = rate.country if rate is not None else form.country.data.upper()
        if rate is None and db.session.get(VolunteerRate, code) is not None:
            form.country.errors = [_("This country has a rate already: edit it instead.")]
        else:
            services.save_volunteer_rate(code, form.values(), actor=current_user)
            db.session.commit()
            flash(_("The volunteer-hour value is saved."), "success")
            return redirect(url_for("volunteer_rates.index"))
    return render_template("activities/rate_form.html", form=form, rate=rate)
