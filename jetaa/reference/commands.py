"""Reference-data commands: `flask --app jetaa load-branches`."""

import click

from jetaa.extensions import db
from jetaa.reference.services import load_all


@click.command("load-branches")
def load_branches() -> None:
    """Upsert prefectures, missions and branches from jetaa/data/ (by slug or code).

    Branches and missions that the files no longer list are kept, marked inactive.
    """
    results = load_all()
    db.session.commit()
    for name, counts in results.items():
        click.echo(f"{name}: {counts}")
