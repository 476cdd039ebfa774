"""Reference-data commands: `flask --app jetaa load-branches`."""

import click

from jetaa.extensions import db
from jetaa.reference.services import load_all


@click.command("load-branches")
def load_branches() -> None:
    """Upsert prefectures, missions and the 54 branches from jetaa/data/ (by slug)."""
    results = load_all()
    db.session.commit()
    for name, (created, updated) in results.items():
        click.echo(f"{name}: {created} created, {updated} updated")
