"""The name-search index lives outside the models: the migration makes it, Alembic ignores it."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import current_app

from jetaa.extensions import db


def test_search_index_exists_and_autogenerate_sees_no_difference(app):
    inspector = sa.inspect(db.engine)
    if db.engine.dialect.name == "sqlite":
        assert "users_name_fts" in inspector.get_table_names()
    else:
        assert "ix_users_name_key_trgm" in {
            i["name"] for i in inspector.get_indexes("users")} | set(db.session.scalars(
                sa.text("SELECT indexname FROM pg_indexes WHERE tablename = 'users'")))
    options = dict(current_app.extensions["migrate"].configure_args)
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=options)
        assert compare_metadata(context, db.metadata) == []


def test_renamed_and_deleted_people_leave_the_index(world, login_as, db):
    member = world.users["member"]
    client = login_as(world.users["officer"])
    assert [m["name"] for m in client.get("/api/v1/directory?q=mia").json["items"]] == ["Mia Member"]
    member.name = "Renamed Person"
    db.commit()
    assert client.get("/api/v1/directory?q=mia").json["items"] == []
    assert client.get("/api/v1/directory?q=renamed").json["pagination"]["total"] == 1
    db.execute(sa.delete(type(member)).where(type(member).id == member.id))
    db.commit()
    assert client.get("/api/v1/directory?q=renamed").json["pagination"]["total"] == 0
