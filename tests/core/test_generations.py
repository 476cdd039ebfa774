"""Generation counters: every committed write to watched data moves its counter."""

import sqlalchemy as sa

from jetaa.audit.models import AuditEntry
from jetaa.core import generations
from jetaa.core.generations import Generation
from jetaa.db import utcnow


def _values(db) -> dict[str, int]:  # noqa: ANN001
    return dict(db.execute(sa.select(Generation.name, Generation.value)).all())


def test_a_write_bumps_the_generations_that_watch_its_model_once_per_commit(world, db):
    before = _values(db)
    world.branch.name = "JETAA Home Renamed"  # a branch name shows in calendars and the directory
    db.flush()
    world.branch.description = "Two flushes, one commit"
    db.commit()
    after = _values(db)
    assert after["events"] == before.get("events", 0) + 1
    assert after["members"] == before.get("members", 0) + 1


def test_a_rollback_bumps_nothing(world, db):
    before = _values(db)
    world.branch.name = "Never saved"
    db.flush()
    db.rollback()
    assert _values(db) == before


def test_a_login_stamp_alone_leaves_the_directory_cache_alone(world, db):
    user = world.users["member"]
    before = _values(db)
    user.last_login_at = utcnow()
    db.commit()
    assert _values(db) == before
    user.name = "Mia Renamed"
    db.commit()
    assert _values(db)["members"] == before.get("members", 0) + 1


def test_unwatched_writes_bump_nothing(world, db):
    before = _values(db)
    db.add(AuditEntry(action="test.note", object_type="test", object_id=1))
    db.commit()
    assert _values(db) == before


def test_current_reads_once_per_request_and_sees_its_own_bumps(app, db):
    with app.test_request_context():
        assert generations.current("spare") == 0
        generations.bump(db, ["spare"])
        assert generations.current("spare") == 1
        generations.bump(db, ["spare"])
        assert generations.current("spare") == 2
        db.commit()


def test_every_model_is_watched_or_declared_unseen(app):
    """A feature's init_app tells the caches about each of its models: a new model that
    no generation watches, and that no feature declared unseen, fails here (the rest of
    the suite runs with the page caches off and would not notice stale pages)."""
    from jetaa.db import Base

    models = {mapper.class_ for mapper in Base.registry.mappers}
    assert not sorted(cls.__name__ for cls in generations.unclassified(models))


def test_the_watches_are_those_the_features_register(app):
    from jetaa.events.models import Event, Rsvp
    from jetaa.members.models import AlumniProfile
    from jetaa.memberships.models import Membership

    assert generations.unclassified([Event, Rsvp, AlumniProfile, Membership]) == set()
    assert generations._WATCHED[Event][0] == {"events"}
    assert generations._WATCHED[Membership][0] == {"members"}


def test_an_unclassified_model_is_reported():
    class Scratch:  # stands for a new feature's model nobody registered
        pass

    assert generations.unclassified([Scratch, AuditEntry]) == {Scratch}
