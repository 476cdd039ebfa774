"""The admins' outbox page: failed and stuck messages, the oldest pending age, retries."""

from flask import Blueprint, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from jetaa.core.actions import act
from jetaa.extensions import db
from jetaa.mail import outbox
from jetaa.mail.models import OutboxMessage
from jetaa.permissions import admin_required

bp = Blueprint("outbox", __name__, url_prefix="/admin/outbox")


@bp.route("")
@admin_required
def index() -> str:
    return render_template("mail/outbox.html", summary=outbox.summary())


@bp.post("/<id:message_id>/retry")
@admin_required
def retry(message_id: int) -> Response:
    """Send a failed or stuck message again (at the next `flask send-mail`)."""
    message = db.get_or_404(OutboxMessage, message_id)
    page = url_for("outbox.index")
    return act(lambda: outbox.retry_message(message, actor=current_user), done=page, back=page,
               success=_("The message to %(to)s will be sent again.", to=message.to_address))
