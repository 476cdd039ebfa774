"""Activity commands: `flask --app jetaa load-volunteer-rates`."""

import click

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
