"""Shared fixtures: the app on a migrated test database, a client, factories, login_as.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is
set. The schema is made once per run by the migrations (the way production
makes it); every test then starts from empty tables.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade

from config import TestingConfig
from jetaa import create_app
from jetaa.auth.models import User
from jetaa.auth.passwords import hash_password
from jetaa.branches.models import Branch
from jetaa.db import utcnow
from jetaa.extensions import db as _db
from jetaa.memberships.models import MemberRole, Membership, MembershipStatus
from jetaa.missions.models import Mission, MissionKind, MissionStaff

PASSWORD = "correct horse battery staple"
ROOT = Path(__file__).resolve().parent.parent


# Under pytest-xdist (`make test` runs two workers) each worker, "gw0", "gw1", ...,
# has databases of its own: a SQLite file in its own temporary folder, a PostgreSQL
# database named after it, and its own Redis databases.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
WORKER_INDEX = int(WORKER.removeprefix("gw")) if WORKER.startswith("gw") else 0


def _database_url(tmp_dir: Path) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_dir / 'test.sqlite3'}"
    if not WORKER:
        return url
    return _worker_database(sa.make_url(url)).render_as_string(hide_password=False)


def _worker_database(url: sa.URL) -> sa.URL:
    """The worker's own database beside the one named (made when it is missing)."""
    own = url.set(database=f"{url.database}_{WORKER}")
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                   {"name": own.database})
        if not exists:
            connection.execute(sa.text(f'CREATE DATABASE "{own.database}"'))
    engine.dispose()
    return own


def suite_redis_url(offset: int = 0) -> str:
    """A Redis database for the suite: TEST_REDIS_URL's (default 1) plus `offset`, one set per worker."""
    url = sa.make_url(os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/1"))
    number = int(url.database or 0) + offset + 4 * WORKER_INDEX
    return url.set(database=str(number)).render_as_string(hide_password=False)


def _drop_everything(engine: sa.Engine) -> None:
    """Start the run from an empty database, whatever an earlier run left."""
    meta = sa.MetaData()
    meta.reflect(bind=engine)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        else:
            meta.drop_all(bind=connection)


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, session and `g`, as in production.

    The test's own session is expired afterwards so it reads what the request wrote.
    """

    def open(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        _db.session.expire_all()
        return response


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    tmp_dir = tmp_path_factory.mktemp("jetaa")

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = _database_url(tmp_dir)
        MAIL_FILE_DIR = str(tmp_dir / "mail")
        ACTIVITY_UPLOAD_DIR = str(tmp_dir / "uploads")
        PICTURE_DIR = str(tmp_dir / "pictures")
        SERVER_NAME = "jetaa.test"

    app = create_app(Config)
    app.test_client_class = IsolatedClient
    with app.app_context():
        _drop_everything(_db.engine)
        upgrade(directory=str(ROOT / "migrations"), revision="heads")
    return app


@pytest.fixture(autouse=True)
def _limiter_back_to_the_suite_app(app: Flask) -> Iterator[None]:
    """Give the limiter back to the suite's app after a test made another app.

    The limiter is one object shared by every app, and the last init_app() wins:
    after an app with RATELIMIT_ENABLED (or a ProductionConfig app), the limits
    on the login and reset views would apply to the rest of the suite.
    """
    from jetaa.extensions import limiter

    yield
    if limiter.enabled != app.config["RATELIMIT_ENABLED"]:
        limiter.init_app(app)


@pytest.fixture(autouse=True)
def db(app: Flask) -> Iterator[sa.orm.scoped_session]:
    """An app context per test, and empty tables afterwards."""
    with app.app_context():
        yield _db.session
        _db.session.rollback()
        _db.session.remove()
        with _db.engine.begin() as connection:
            for table in reversed(_db.metadata.sorted_tables):
                connection.execute(table.delete())


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


_counter = itertools.count(1)


@pytest.fixture
def make_user(db: sa.orm.scoped_session) -> Callable[..., User]:
    password_hash = hash_password(PASSWORD)

    def make(name: str | None = None, email: str | None = None, *, confirmed: bool = True,
             admin: bool = False, password: str | None = None) -> User:
        n = next(_counter)
        user = User(
            name=name or f"Test Person {n}",
            email=(email or f"person{n}@example.com").lower(),
            password_hash=hash_password(password) if password else password_hash,
            email_confirmed_at=utcnow() if confirmed else None,
            is_admin=admin,
        )
        db.add(user)
        db.commit()
        return user

    return make


@pytest.fixture
def make_mission(db: sa.orm.scoped_session) -> Callable[..., Mission]:
    def make(slug: str | None = None, **fields: object) -> Mission:
        n = next(_counter)
        values = {"name": f"Consulate-General of Japan {n}", "kind": MissionKind.CONSULATE_GENERAL,
                  "country": "US", "city": "New York", "timezone": "America/New_York"}
        values.update(fields)
        mission = Mission(slug=slug or f"mission-{n}", **values)
        db.add(mission)
        db.commit()
        return mission

    return make


@pytest.fixture
def make_branch(db: sa.orm.scoped_session) -> Callable[..., Branch]:
    def make(slug: str | None = None, **fields: object) -> Branch:
        n = next(_counter)
        values = {"name": f"JETAA Test {n}", "country": "US", "country_name": "United States",
                  "region": "Somewhere", "grouping": "JETAA USA", "timezone": "America/New_York",
                  "description": "A test branch."}
        values.update(fields)
        branch = Branch(slug=slug or f"branch-{n}", **values)
        db.add(branch)
        db.commit()
        return branch

    return make


@pytest.fixture
def make_membership(db: sa.orm.scoped_session) -> Callable[..., Membership]:
    def make(user: User, branch: Branch, *, role: str = "member", status: str = "approved",
             primary: bool = True) -> Membership:
        membership = Membership(user_id=user.id, branch_id=branch.id, role=MemberRole(role),
                                status=MembershipStatus(status), is_primary=primary)
        db.add(membership)
        db.commit()
        return membership

    return make


def signed_in_id(user: User, *, second_factor: bool = True) -> str:
    """What a browser signed in as `user` holds in its session: a new LoginSession's id.

    The session counts as signed in with the second factor (officers, admins and mission
    staff need it for their pages); tests/security asks for one without.
    """
    from jetaa.auth.services import start_session

    start_session(user, second_factor=second_factor)
    _db.session.commit()
    return user.get_id()


@pytest.fixture
def login_as(client: FlaskClient) -> Callable[[User | None], FlaskClient]:
    """Log the test client in as `user` (None: stay anonymous)."""

    def login(user: User | None) -> FlaskClient:
        user_id = signed_in_id(user) if user is not None else None
        with client.session_transaction() as session:
            session.clear()
            if user is not None:
                session["_user_id"] = user_id
                session["_fresh"] = True
        return client

    return login


@dataclass
class World:
    """Two branches, one mission, and a person in every role."""

    branch: Branch
    other_branch: Branch
    mission: Mission
    users: dict[str, User | None]


ROLES = ("anonymous", "pending", "member", "officer", "other_officer", "mission", "admin")

# Role tables. Each feature's tests/<feature>/test_permissions.py has
# TABLE = {(method, url): by_role(...)}; tests/test_routes.py checks that every
# route of the app has a row in some TABLE.
LOGIN = "login"  # a 302 redirect to the login page


def by_role(default: object, **overrides: object) -> dict[str, object]:
    """One row of a role table: every role in ROLES gets `default` unless named."""
    unknown = sorted(set(overrides) - set(ROLES))
    assert not unknown, f"not roles: {unknown}"
    return {role: overrides.get(role, default) for role in ROLES}


def signed_in(status: object, **overrides: object) -> dict[str, object]:
    """Visitors are sent to log in; everyone signed in gets `status`."""
    return by_role(status, **{"anonymous": LOGIN, **overrides})


def admins_only(status: object) -> dict[str, object]:
    """Visitors are sent to log in, site admins get `status`, everyone else 403."""
    return by_role(403, anonymous=LOGIN, admin=status)


def home_managers(status: object, **overrides: object) -> dict[str, object]:
    """Those who manage the home branch (its officer and the site admins) get `status`.

    Visitors are sent to log in; everyone else is refused with 403.
    """
    return by_role(403, **{"anonymous": LOGIN, "officer": status, "admin": status, **overrides})


def table_rows(table: dict[tuple[str, str], dict]) -> list:
    """The (method, url) keys of a role table as pytest params named "METHOD url"."""
    return [pytest.param(method, url, id=f"{method} {url}") for method, url in table]


def assert_answers(response: object, expected: int | str) -> None:
    """`response` has the status a role table expects (LOGIN: a 302 to the login page)."""
    if expected == LOGIN:
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        assert "/login" in response.headers["Location"]
    else:
        assert response.status_code == expected, response.get_data(as_text=True)[:500]


@pytest.fixture
def world(make_user, make_branch, make_mission, make_membership, db) -> World:  # noqa: ANN001
    mission = make_mission(slug="cg-test")
    branch = make_branch(slug="home", name="JETAA Home", mission_id=mission.id)
    other = make_branch(slug="away", name="JETAA Away")
    users: dict[str, User | None] = {"anonymous": None}
    users["pending"] = make_user("Pat Pending")
    make_membership(users["pending"], branch, status="pending")
    users["member"] = make_user("Mia Member")
    make_membership(users["member"], branch)
    users["officer"] = make_user("Olga Officer")
    make_membership(users["officer"], branch, role="officer")
    users["other_officer"] = make_user("Otto Otherofficer")
    make_membership(users["other_officer"], other, role="officer")
    users["mission"] = make_user("Mika Mission")
    db.add(MissionStaff(user_id=users["mission"].id, mission_id=mission.id))
    users["admin"] = make_user("Ada Admin", admin=True)
    db.commit()
    return World(branch=branch, other_branch=other, mission=mission, users=users)


@pytest.fixture
def outbox(db: sa.orm.scoped_session) -> Callable[[], list]:
    """The messages queued so far, oldest first."""
    from jetaa.mail.models import OutboxMessage

    def messages() -> list[OutboxMessage]:
        return list(db.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))

    return messages


# Redis database for the suite's tests (rate limits, mail queue, cache).
TEST_REDIS_URL = suite_redis_url()


@pytest.fixture
def caching(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """The caches' lifetimes as in production (the suite runs with 0), in an empty process-memory cache."""
    from jetaa.core import cache

    monkeypatch.setitem(app.config, "CACHE_TTL", 60)
    monkeypatch.setattr(cache, "_local", {})


@pytest.fixture
def redis_db():  # noqa: ANN201
    """The test Redis database, emptied before and after (skips when Redis is not running)."""
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(TEST_REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not reachable at {TEST_REDIS_URL}")
    connection.flushdb()
    yield connection
    connection.flushdb()


@contextmanager
def _counting() -> Iterator[list[str]]:
    statements: list[str] = []

    def before_cursor_execute(conn, cursor, statement, *args):  # noqa: ANN001, ANN002
        statements.append(statement)

    sa.event.listen(_db.engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield statements
    finally:
        sa.event.remove(_db.engine, "before_cursor_execute", before_cursor_execute)


@pytest.fixture
def count_queries() -> Callable[[], object]:
    """`with count_queries() as statements:` collects the SQL run inside the block."""
    return _counting
