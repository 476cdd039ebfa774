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


def test_0015_moves_each_profile_placement_into_the_list_and_back(app, make_user):
    """Downgrade to 0017 (one placement per profile, a set of roles), write profiles the
    old way, upgrade: each is a list of placements, the member's own fields still theirs."""
    from jetaa.members.models import AlumniProfile
    from jetaa.reference.services import load_prefectures

    load_prefectures()
    two_roles, one_role, empty = make_user("Two Roles"), make_user("One Role"), make_user("None")
    db.session.commit()
    ids = (two_roles.id, one_role.id, empty.id)
    db.session.remove()
    downgrade(directory=MIGRATIONS, revision="0017_membership_role_index")
    with db.engine.begin() as connection:
        for user_id, (code, town, start, end, fields) in zip(ids, (
                (28, "Kobe", 2015, 2019, '["municipality", "phone"]'),
                (13, "Shinjuku", 2001, None, "[]"), (None, "", None, None, "[]")), strict=True):
            connection.execute(sa.text(
                "INSERT INTO alumni_profiles (user_id, prefecture_code, municipality, "
                "contracting_organisation, start_year, end_year, home_country, current_city, "
                "occupation, industry, employer, bio, interests, phone, website_url, "
                "linkedin_url, visibility, contact_visibility, open_to_recruitment, "
                "open_to_mentoring, member_set_fields, updated_at) VALUES (:id, :code, :town, "
                "'Kobe BOE', :start, :end, 'US', '', '', '', '', '', '', '', '', '', 'branches', "
                "'hidden', false, false, :fields, CURRENT_TIMESTAMP)"),
                {"id": user_id, "code": code, "town": town, "start": start, "end": end,
                 "fields": fields})
        connection.execute(sa.text("INSERT INTO alumni_jet_roles (user_id, role) VALUES "
                                   "(:a, 'CIR'), (:a, 'ALT'), (:b, 'SEA')"),
                           {"a": two_roles.id, "b": one_role.id})
    upgrade(directory=MIGRATIONS, revision="heads")
    assert _differences(db.metadata) == []

    profiles = {p.user_id: p for p in db.session.scalars(sa.select(AlumniProfile))}
    first = profiles[two_roles.id]
    assert [(p.position, p.role.value, p.prefecture_code, p.municipality, p.start_year,
             p.end_year, p.contracting_organisation) for p in first.placements] == [
        (0, "ALT", 28, "Kobe", 2015, 2019, "Kobe BOE"), (1, "CIR", 28, "Kobe", None, None, "")]
    assert (first.first_year, first.last_year) == (2015, 2019)
    assert sorted(first.member_set_fields) == ["phone", "placements"]
    second = profiles[one_role.id]
    assert [(p.role.value, p.municipality, p.start_year, p.end_year)
            for p in second.placements] == [("SEA", "Shinjuku", 2001, None)]
    assert second.member_set_fields == []
    # 0020: the latest year on JET, a placement's first when it has no last.
    assert (second.first_year, second.last_year) == (2001, 2001)
    assert (profiles[empty.id].first_year, profiles[empty.id].last_year) == (None, None)
    # Nothing was recorded of the third one's time on JET, except the organisation.
    assert [(p.role, p.prefecture_code, p.contracting_organisation)
            for p in profiles[empty.id].placements] == [(None, None, "Kobe BOE")]

    db.session.remove()
    downgrade(directory=MIGRATIONS, revision="0017_membership_role_index")
    with db.engine.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT user_id, prefecture_code, municipality, start_year, end_year, "
            "member_set_fields FROM alumni_profiles ORDER BY user_id")).all()
        roles = connection.execute(sa.text(
            "SELECT user_id, role FROM alumni_jet_roles ORDER BY user_id, role")).all()
    back = {row[0]: row[1:5] for row in rows}
    assert back[two_roles.id] == (28, "Kobe", 2015, 2019)
    assert back[one_role.id] == (13, "Shinjuku", 2001, None)
    assert [tuple(r) for r in roles] == [(two_roles.id, "ALT"), (two_roles.id, "CIR"),
                                         (one_role.id, "SEA")]
    upgrade(directory=MIGRATIONS, revision="heads")
