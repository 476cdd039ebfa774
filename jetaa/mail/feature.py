"""The outbox as the app sees it: commit hooks that queue jobs, and the delivery commands."""

from flask import Flask

from jetaa.core import generations
from jetaa.mail.commands import mail_worker, send_mail
from jetaa.mail.models import OutboxMessage
from jetaa.mail.session_hooks import listen_for_commits
from jetaa.mail.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    listen_for_commits()
    app.cli.add_command(send_mail)
    app.cli.add_command(mail_worker)
    generations.unseen(OutboxMessage)
