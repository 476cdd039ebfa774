"""Flask commands: `flask --app jetaa <command>`."""

import time

import click
import sqlalchemy as sa
from flask import Flask

from jetaa.extensions import db


@click.command("create-admin")
@click.argument("email")
@click.option("--name", default="Federation admin", help="Name for a new account.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="Used only when the account does not exist yet.")
def create_admin(email: str, name: str, password: str) -> None:
    """Make EMAIL a federation admin (creating a confirmed account if needed)."""
    from jetaa.audit.services import record
    from jetaa.auth.models import User
    from jetaa.auth.passwords import hash_password, password_problem
    from jetaa.auth.services import find_user_by_email, normalise_email
    from jetaa.db import utcnow

    user = find_user_by_email(email)
    if user is None:
        problem = password_problem(password, email=email)
        if problem:
            raise click.ClickException(problem)
        user = User(email=normalise_email(email), name=name, email_confirmed_at=utcnow(),
                    password_hash=hash_password(password))
        db.session.add(user)
    user.is_admin = True
    db.session.flush()
    record("admin.appoint", actor=None, object_type="user", object_id=user.id, via="cli")
    db.session.commit()
    click.echo(f"{user.email} is a federation admin.")


@click.command("load-branches")
def load_branches() -> None:
    """Upsert prefectures, missions and the 54 branches from jetaa/data/ (by slug)."""
    from jetaa.reference.services import load_all

    results = load_all()
    db.session.commit()
    for name, (created, updated) in results.items():
        click.echo(f"{name}: {created} created, {updated} updated")


@click.command("send-mail")
@click.option("--limit", default=500, help="At most this many messages per run.")
def send_mail(limit: int) -> None:
    """Deliver due messages from the outbox (safe to run every minute)."""
    from jetaa.mail.services import deliver_due

    sent, failed = deliver_due(limit)
    click.echo(f"sent {sent}, failed {failed}")


@click.command("mail-worker")
def mail_worker() -> None:
    """Run an RQ worker for the mail queue (needs REDIS_URL)."""
    from flask import current_app
    from redis import Redis
    from rq import Worker

    url = current_app.config["REDIS_URL"]
    if not url:
        raise click.ClickException("REDIS_URL is not set; use `flask send-mail` instead.")
    Worker(["mail"], connection=Redis.from_url(url)).work()


@click.command("demo-data")
@click.option("--members", default=25000, show_default=True, help="How many alumni.")
@click.option("--seed", default=1, show_default=True, help="Random seed (same seed, same data).")
@click.option("--reset", is_flag=True, help="Delete all existing data first.")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) if data exists.")
def demo_data(members: int, seed: int, reset: bool, if_empty: bool) -> None:
    """Fill the database with a realistic, deterministic federation."""
    from jetaa.demo.core import DEMO_LOGINS, DEMO_PASSWORD, database_is_empty, generate, wipe_database

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


@click.command("send-reminders")
@click.option("--hours", default=24, show_default=True, help="Remind about events starting this soon.")
def send_reminders(hours: int) -> None:
    """Queue reminder e-mails for tomorrow's events (safe to run every few minutes)."""
    from datetime import timedelta

    from jetaa.events.rsvp import send_reminders as remind

    click.echo(f"queued {remind(window=timedelta(hours=hours))} reminders")


@click.command("check-db")
def check_db() -> None:
    """Exit non-zero unless the database answers."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as error:
        raise click.ClickException(f"database unreachable: {error}") from error
    click.echo("database ok")


def register(app: Flask) -> None:
    for command in (create_admin, load_branches, send_mail, mail_worker, demo_data, check_db,
                    send_reminders):
        app.cli.add_command(command)
