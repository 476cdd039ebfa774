"""Admin commands: `flask --app jetaa create-admin EMAIL`."""

import click

from jetaa.audit.services import record
from jetaa.auth.models import User
from jetaa.auth.passwords import hash_password, password_problem
from jetaa.auth.services import find_user_by_email, normalise_email
from jetaa.db import utcnow
from jetaa.extensions import db


@click.command("create-admin")
@click.argument("email")
@click.option("--name", default="Federation admin", help="Name for a new account.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="Used only when the account does not exist yet.")
def create_admin(email: str, name: str, password: str) -> None:
    """Make EMAIL a federation admin (creating a confirmed account if needed)."""
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
