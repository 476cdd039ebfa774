"""App-wide Flask commands: `flask --app jetaa demo-data`, `check-db`."""

import time

import click
import sqlalchemy as sa
from flask import Flask, current_app

from jetaa.extensions import db


@click.command("demo-data")
@click.option("--members", default=25000, show_default=True, help="How many alumni.")
@click.option("--seed", default=1, show_default=True, help="Random seed (same seed, same data).")
@click.option("--reset", is_flag=True, help="Delete all existing data first.")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) if data exists.")
def demo_data(members: int, seed: int, reset: bool, if_empty: bool) -> None:
    """Fill the database with a realistic, deterministic federation."""
    from jetaa.demo.core import DEMO_LOGINS, DEMO_PASSWORD, database_is_empty, generate, wipe_database

    if current_app.config.get("ENV_NAME") == "production":
        # Demo accounts share one published password; --reset would wipe real members.
        raise click.ClickException("demo-data does not run in production.")
    if not database_is_empty():
        if not (if_empty or reset):
            raise click.ClickException("The database is not empty. Use --reset to replace it.")
        if reset:
            wipe_database()
    if database_is_empty():
        started = time.perf_counter()
        with click.progressbar(length=members * 3, label="Demo data") as bar:
            generate(members, seed, bar.update)
        click.echo(f"Demo data for {members} members made in "
                   f"{time.perf_counter() - started:.1f} s.")
    else:
        click.echo("The database already has data; demo data not loaded.")
    click.echo(f"Demo logins (password: {DEMO_PASSWORD}):")
    for email, _name, role in DEMO_LOGINS:
        click.echo(f"  {email:24} {role}")


@click.command("check-db")
def check_db() -> None:
    """Exit non-zero unless the database answers."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as error:
        raise click.ClickException(f"database unreachable: {error}") from error
    click.echo("database ok")


def register(app: Flask) -> None:
    """The app-wide commands; each feature registers its own in its init_app."""
    for command in (demo_data, check_db):
        app.cli.add_command(command)
