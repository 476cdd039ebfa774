"""`flask send-announcements` (cron, every minute) and `flask send-digests` (weekly)."""

import click

from jetaa.extensions import db


@click.command("send-announcements")
@click.option("--batches", default=20, show_default=True,
              help="At most this many batches (ANNOUNCEMENT_BATCH_SIZE each) per run.")
def send_announcements(batches: int) -> None:
    """Queue the next batches of due announcements in the outbox (safe to run every minute)."""
    from jetaa.announcements.services import run_due

    click.echo(f"queued {run_due(max_batches=batches)} messages")


@click.command("send-digests")
def send_digests() -> None:
    """Send each member who chose it the week's announcements in one message (weekly)."""
    from jetaa.announcements.digest import send_digests as send

    count = send()
    db.session.commit()
    click.echo(f"queued {count} digests")
