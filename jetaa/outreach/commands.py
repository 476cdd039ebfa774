"""`flask outreach-reminders`: run it hourly (cron), like `flask send-reminders` for events."""

import click
from flask.cli import with_appcontext

from jetaa.outreach.reminders import send_reminders


@click.command("outreach-reminders")
@with_appcontext
def outreach_reminders() -> None:
    """Ask tomorrow's volunteers to confirm, and staff for the outcome of what is over."""
    click.echo(f"{send_reminders()} outreach reminders queued.")
