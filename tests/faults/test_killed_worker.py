"""A worker killed with SIGKILL in the middle of a request (an RSVP, an import confirmation)
leaves nothing half-written: everything the request wrote was one transaction, and the
database drops it with the dead connection (PostgreSQL) or the hot journal (SQLite)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from jetaa.auth.models import User
from jetaa.events.models import Event, Rsvp
from jetaa.memberships.models import Membership, RosterInvitation

ROOT = Path(__file__).resolve().parent.parent.parent

# A worker that serves one POST and is killed once the request has written everything
# and is about to commit (the latest moment a kill can leave work undone).
WORKER = """
import sys, time
import sqlalchemy.orm
from config import TestingConfig
from jetaa import create_app
from jetaa.auth.models import User
from jetaa.auth.services import start_session
from jetaa.extensions import db

app = create_app(TestingConfig)
user_id, url, data = int(sys.argv[1]), sys.argv[2], dict(a.split("=", 1) for a in sys.argv[3:])
with app.app_context():
    user = db.session.get(User, user_id)
    start_session(user, second_factor=True)  # an officer confirming an import needs it
    db.session.commit()
    cookie = user.get_id()


def commit_then_die(session):
    session.flush()
    print("READY", flush=True)
    time.sleep(120)


sqlalchemy.orm.Session.commit = commit_then_die
client = app.test_client()
with client.session_transaction() as session:
    session["_user_id"], session["_fresh"] = cookie, True
client.post(url, data=data)
"""


def _kill_mid_request(app, user: User, url: str, **form: str) -> None:  # noqa: ANN001
    env = {**os.environ, "TEST_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"]}
    args = [sys.executable, "-c", WORKER, str(user.id), url, *(f"{k}={v}" for k, v in form.items())]
    worker = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE,  # noqa: S603
                              stderr=subprocess.DEVNULL, text=True)
    try:
        assert worker.stdout.readline().strip() == "READY"
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL


def test_a_worker_killed_during_an_rsvp_takes_no_seat(app, world, make_event, db):
    event = make_event(world.branch, capacity=1)
    _kill_mid_request(app, world.users["member"], f"/events/{event.id}/rsvp",
                      answer="going", guests="0")
    db.expire_all()
    assert db.get(Event, event.id).seats_taken == 0
    assert db.scalar(sa.select(sa.func.count()).select_from(Rsvp)) == 0
    # And the seat is there for the next person.
    from jetaa.events.rsvp import respond

    respond(db.get(Event, event.id), world.users["officer"], going=True)
    db.commit()
    assert db.get(Event, event.id).seats_taken == 1


def test_a_worker_killed_during_an_import_leaves_no_account(app, world, db):
    text = "email,name\nkilled@example.com,Killed Mid Import\n"
    memberships = db.scalar(sa.select(sa.func.count()).select_from(Membership))
    _kill_mid_request(app, world.users["officer"], "/branches/home/roster/import/confirm",
                      csv_text=text)
    db.expire_all()
    assert db.scalar(sa.select(User).where(User.email == "killed@example.com")) is None
    assert db.scalar(sa.select(sa.func.count()).select_from(RosterInvitation)) == 0
    assert db.scalar(sa.select(sa.func.count()).select_from(Membership)) == memberships
