"""The outbox as the app sees it: commit hooks that queue jobs, and the delivery commands."""

from flask import Flask, g
from werkzeug.wrappers import Response

from jetaa.mail.commands import mail_worker, send_mail
from jetaa.mail.services import deliver_due
from jetaa.mail.session_hooks import listen_for_commits
from jetaa.mail.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    listen_for_commits()
    app.cli.add_command(send_mail)
    app.cli.add_command(mail_worker)
    app.after_request(deliver_at_once)


def deliver_at_once(response: Response) -> Response:
    """In development without Redis (MAIL_DELIVER_AT_ONCE), the mail a request queued is
    delivered (written to instance/mail/ when no MAIL_SERVER is set) as the request ends,
    so "we have sent a message" is true without running `flask send-mail` by hand."""
    if g.pop("mail_waiting", False):
        deliver_due()
    return response
