"""Event commands: `flask --app jetaa send-reminders` (cron)."""

from datetime import timedelta

import click

from jetaa.events.rsvp import send_reminders as remind


@click.command("send-reminders")
@click.option("--hours", default=24, show_default=True, help="Remind about events starting this soon.")
def send_reminders(hours: int) -> None:
    """Queue reminder e-mails for tomorrow's events (safe to run every few minutes)."""
    click.echo(f"queued {remind(window=timedelta(hours=hours))} reminders")
