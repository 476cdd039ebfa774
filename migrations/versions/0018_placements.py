"""placements: a member's JET history as a list of placements

Revision ID: 0018_placements
Revises: 0017_membership_role_index
Create Date: 2026-12-01 17:10:00

alumni_placements: one row per JET placement (role, prefecture, town, contracting
organisation, first and last year), in the member's order. Each profile's one placement
moves into it: the first of its JET roles (alumni_jet_roles, ALT before CIR before SEA)
takes the place and years; each further role becomes a placement of its own in the
same prefecture and town, its years left for the member to fill in (they were never
recorded). Then the profile's placement columns and alumni_jet_roles go; the profile
keeps first_year, the earliest first year, for the directory's index-ordered sort.
The fields a member set themselves (member_set_fields) name "placements" instead of
the old columns, so a roster import still leaves them alone. Plain SQL and a small
Python pass over member_set_fields: the same on SQLite and PostgreSQL.
"""
import json

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018_placements'
down_revision = '0017_membership_role_index'
branch_labels = None
depends_on = None

OLD_FIELDS = ('jet_roles', 'prefecture_code', 'municipality', 'contracting_organisation',
              'start_year', 'end_year')
JET_ROLE = sa.Enum('ALT', 'CIR', 'SEA', name='jet_role', native_enum=False,
                   create_constraint=True, length=8)


def _rename_member_set(old: tuple[str, ...], new: tuple[str, ...]) -> None:
    """Replace any of `old` in each profile's member_set_fields by all of `new`."""
    connection = op.get_bind()
    profiles = sa.table('alumni_profiles', sa.column('user_id', sa.Integer),
                        sa.column('member_set_fields', sa.JSON))
    updates = []
    for user_id, fields in connection.execute(sa.select(profiles.c.user_id,
                                                        profiles.c.member_set_fields)):
        fields = json.loads(fields) if isinstance(fields, str) else (fields or [])
        if set(fields) & set(old):
            kept = [f for f in fields if f not in old]
            updates.append({'uid': user_id, 'fields': sorted(set(kept) | set(new))})
    if updates:
        connection.execute(
            profiles.update().where(profiles.c.user_id == sa.bindparam('uid'))
            .values(member_set_fields=sa.bindparam('fields', type_=sa.JSON)), updates)


def upgrade():
    op.create_table(
        'alumni_placements',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('role', JET_ROLE, nullable=True),
        sa.Column('prefecture_code', sa.Integer(), nullable=True),
        sa.Column('municipality', sa.String(length=120), nullable=False),
        sa.Column('contracting_organisation', sa.String(length=160), nullable=False),
        sa.Column('start_year', sa.Integer(), nullable=True),
        sa.Column('end_year', sa.Integer(), nullable=True),
        sa.CheckConstraint('end_year IS NULL OR start_year IS NULL OR end_year >= start_year',
                           name=op.f('ck_alumni_placements_years_in_order')),
        sa.ForeignKeyConstraint(['prefecture_code'], ['prefectures.code'],
                                name=op.f('fk_alumni_placements_prefecture_code_prefectures')),
        sa.ForeignKeyConstraint(['user_id'], ['alumni_profiles.user_id'],
                                name=op.f('fk_alumni_placements_user_id_alumni_profiles'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_alumni_placements')),
        sa.UniqueConstraint('user_id', 'position',
                            name=op.f('uq_alumni_placements_user_id')),
    )
    with op.batch_alter_table('alumni_placements', schema=None) as batch_op:
        batch_op.create_index('ix_alumni_placements_prefecture_user',
                              ['prefecture_code', 'user_id'], unique=False)
        batch_op.create_index('ix_alumni_placements_role_user', ['role', 'user_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_alumni_placements_start_year'), ['start_year'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_alumni_placements_end_year'), ['end_year'],
                              unique=False)

    first_role = ("(SELECT MIN(r.role) FROM alumni_jet_roles r "
                  "WHERE r.user_id = alumni_profiles.user_id)")
    # The profile's placement, with its first role, wherever anything of it was recorded.
    op.execute(
        "INSERT INTO alumni_placements (user_id, position, role, prefecture_code, municipality, "
        "contracting_organisation, start_year, end_year) "
        f"SELECT user_id, 0, {first_role}, prefecture_code, municipality, "
        "contracting_organisation, start_year, end_year FROM alumni_profiles "
        f"WHERE prefecture_code IS NOT NULL OR start_year IS NOT NULL OR end_year IS NOT NULL "
        f"OR municipality <> '' OR contracting_organisation <> '' OR {first_role} IS NOT NULL")
    # Each further role: a placement of its own in the same place, years unknown.
    op.execute(
        "INSERT INTO alumni_placements (user_id, position, role, prefecture_code, municipality, "
        "contracting_organisation, start_year, end_year) "
        "SELECT r.user_id, (SELECT COUNT(*) FROM alumni_jet_roles r2 "
        "WHERE r2.user_id = r.user_id AND r2.role < r.role), r.role, p.prefecture_code, "
        "p.municipality, '', NULL, NULL "
        "FROM alumni_jet_roles r JOIN alumni_profiles p ON p.user_id = r.user_id "
        "WHERE r.role > (SELECT MIN(r3.role) FROM alumni_jet_roles r3 "
        "WHERE r3.user_id = r.user_id)")

    with op.batch_alter_table('alumni_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_year', sa.Integer(), nullable=True))
    op.execute("UPDATE alumni_profiles SET first_year = start_year")
    _rename_member_set(OLD_FIELDS, ('placements',))

    with op.batch_alter_table('alumni_profiles', schema=None) as batch_op:
        batch_op.drop_index('ix_alumni_profiles_country_start')
        batch_op.drop_index(batch_op.f('ix_alumni_profiles_start_year'))
        batch_op.drop_index(batch_op.f('ix_alumni_profiles_prefecture_code'))
        batch_op.drop_constraint(op.f('ck_alumni_profiles_years_in_order'), type_='check')
        batch_op.drop_constraint(op.f('fk_alumni_profiles_prefecture_code_prefectures'),
                                 type_='foreignkey')
        for column in ('prefecture_code', 'municipality', 'contracting_organisation',
                       'start_year', 'end_year'):
            batch_op.drop_column(column)
        batch_op.create_index(batch_op.f('ix_alumni_profiles_first_year'), ['first_year'],
                              unique=False)
        batch_op.create_index('ix_alumni_profiles_country_first', ['home_country', 'first_year'],
                              unique=False)

    with op.batch_alter_table('alumni_jet_roles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alumni_jet_roles_role'))
    op.drop_table('alumni_jet_roles')


def downgrade():
    """Back to one placement per profile: the first one's place and years, every role."""
    op.create_table(
        'alumni_jet_roles',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('role', JET_ROLE, nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['alumni_profiles.user_id'],
                                name=op.f('fk_alumni_jet_roles_user_id_alumni_profiles'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'role', name=op.f('pk_alumni_jet_roles')),
    )
    with op.batch_alter_table('alumni_jet_roles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alumni_jet_roles_role'), ['role'], unique=False)
    op.execute("INSERT INTO alumni_jet_roles (user_id, role) SELECT DISTINCT user_id, role "
               "FROM alumni_placements WHERE role IS NOT NULL")

    with op.batch_alter_table('alumni_profiles', schema=None) as batch_op:
        batch_op.drop_index('ix_alumni_profiles_country_first')
        batch_op.drop_index(batch_op.f('ix_alumni_profiles_first_year'))
        batch_op.add_column(sa.Column('prefecture_code', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('municipality', sa.String(length=120), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('contracting_organisation', sa.String(length=160),
                                      server_default='', nullable=False))
        batch_op.add_column(sa.Column('start_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('end_year', sa.Integer(), nullable=True))
    first = ("(SELECT {column} FROM alumni_placements pl "
             "WHERE pl.user_id = alumni_profiles.user_id ORDER BY pl.position LIMIT 1)")
    op.execute("UPDATE alumni_profiles SET " + ", ".join(
        f"{column} = {first.format(column=column)}"
        for column in ('prefecture_code', 'start_year', 'end_year')))
    op.execute("UPDATE alumni_profiles SET " + ", ".join(
        f"{column} = COALESCE({first.format(column=column)}, '')"
        for column in ('municipality', 'contracting_organisation')))
    # The first placement's years may end before a later one's started: keep the check true.
    op.execute("UPDATE alumni_profiles SET end_year = NULL WHERE end_year < start_year")
    _rename_member_set(('placements',), OLD_FIELDS)

    with op.batch_alter_table('alumni_profiles', schema=None) as batch_op:
        batch_op.create_foreign_key(op.f('fk_alumni_profiles_prefecture_code_prefectures'),
                                    'prefectures', ['prefecture_code'], ['code'])
        batch_op.create_check_constraint(
            op.f('ck_alumni_profiles_years_in_order'),
            'end_year IS NULL OR start_year IS NULL OR end_year >= start_year')
        batch_op.create_index(batch_op.f('ix_alumni_profiles_prefecture_code'),
                              ['prefecture_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_alumni_profiles_start_year'), ['start_year'],
                              unique=False)
        batch_op.create_index('ix_alumni_profiles_country_start', ['home_country', 'start_year'],
                              unique=False)
        batch_op.drop_column('first_year')

    with op.batch_alter_table('alumni_placements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alumni_placements_end_year'))
        batch_op.drop_index(batch_op.f('ix_alumni_placements_start_year'))
        batch_op.drop_index('ix_alumni_placements_role_user')
        batch_op.drop_index('ix_alumni_placements_prefecture_user')
    op.drop_table('alumni_placements')
