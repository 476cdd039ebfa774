"""Activity commands: `flask --app jetaa load-volunteer-rates`, `rebuild-activity-figures`."""

import click

from jetaa.activities import rollups
from jetaa.activities.rates import load_volunteer_rates as load
from jetaa.extensions import db


@click.command("load-volunteer-rates")
def load_volunteer_rates() -> None:
    """Upsert the per-country value of a volunteer hour from jetaa/data/volunteer_rates.json."""
    try:
        created, updated = load()
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"volunteer rates: {created} created, {updated} updated")


@click.command("rebuild-activity-figures")
def rebuild_activity_figures() -> None:
    """Recompute the dashboards' monthly figures from the activities (after writing
    activities with plain SQL; the app keeps them in step by itself)."""
    rollups.rebuild(db.session.connection())
    db.session.commit()
    click.echo("activity figures rebuilt")
