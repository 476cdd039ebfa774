"""Mail commands: `flask --app jetaa send-mail` (cron) and `mail-worker` (with Redis)."""

import click
from flask import current_app
from redis import Redis
from rq import Worker

from jetaa.mail.services import deliver_due


@click.command("send-mail")
@click.option("--limit", default=500, help="At most this many messages per run.")
def send_mail(limit: int) -> None:
    """Deliver due messages from the outbox (safe to run every minute)."""
    sent, failed = deliver_due(limit)
    click.echo(f"sent {sent}, failed {failed}")


@click.command("mail-worker")
def mail_worker() -> None:
    """Run an RQ worker for the mail queue (needs REDIS_URL)."""
    url = current_app.config["REDIS_URL"]
    if not url:
        raise click.ClickException("REDIS_URL is not set; use `flask send-mail` instead.")
    Worker(["mail"], connection=Redis.from_url(url)).work()
