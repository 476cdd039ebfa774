"""The migrations make exactly the schema the models describe, on SQLite and PostgreSQL.

The `app` fixture builds the test database with `flask db upgrade`; here
Alembic's autogenerate compares it with the models, with the settings
migrations/env.py uses (Flask-Migrate's configure_args: render_as_batch,
compare_type).
"""

from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import downgrade, upgrade

from jetaa.db import UTCDateTime
from jetaa.extensions import db

MIGRATIONS = str(Path(__file__).resolve().parent.parent / "migrations")


def _differences(metadata: sa.MetaData) -> list:
    options = dict(current_app.extensions["migrate"].configure_args)
    assert options.get("compare_type") is True
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=options)
        return compare_metadata(context, metadata)


def test_models_and_migrations_agree(app):
    assert _differences(db.metadata) == []


def test_utc_datetime_columns_are_compared(app):
    """UTCDateTime is stored as DateTime(timezone=True) and is not reported as a change."""
    columns = [c for t in db.metadata.tables.values() for c in t.columns
               if isinstance(c.type, UTCDateTime)]
    assert len(columns) >= 10
    assert not [d for d in _differences(db.metadata) if d and d[0] and d[0][0] == "modify_type"]


def test_the_comparison_sees_a_difference(app):
    """A model change the migrations lack is reported (the test above can fail)."""
    metadata = sa.MetaData(naming_convention=db.metadata.naming_convention)
    for table in db.metadata.sorted_tables:
        table.to_metadata(metadata)
    metadata.tables["branches"].append_column(sa.Column("motto", sa.String(80)))
    metadata.tables["missions"].c.city.type = sa.String(999)
    differences = _differences(metadata)
    assert ("add_column", None, "branches", metadata.tables["branches"].c.motto) in differences
    assert any(d[0][0] == "modify_type" and d[0][2:4] == ("missions", "city")
               for d in differences if isinstance(d, list))


def test_one_head_and_the_database_is_at_it(app):
    script = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config(
        MIGRATIONS))
    heads = script.get_heads()
    assert len(heads) == 1, f"branched migration history: {heads}"
    with db.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_heads() == tuple(heads)


def test_downgrade_to_base_and_upgrade_again(app):
    db.session.remove()
    downgrade(directory=MIGRATIONS, revision="base")
    assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade(directory=MIGRATIONS, revision="heads")
    assert _differences(db.metadata) == []
