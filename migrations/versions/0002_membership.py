"""membership: richer alumni profiles, JET roles and languages, application messages, name search

Revision ID: 0002_membership
Revises: 0001_foundation
Create Date: 2026-11-25 12:47:02.998178

The name search uses each database's own text index on users.name_key (a
folded copy of the name): an FTS5 trigram table kept in step by triggers on
SQLite, a pg_trgm GIN index on PostgreSQL. Neither is in the models, so
migrations/env.py leaves them out of the autogenerate comparison.
"""
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_membership'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None

FTS_TABLE = 'users_name_fts'
TRGM_INDEX = 'ix_users_name_key_trgm'


def _search_key(text):
    # A frozen copy of jetaa.core.text.search_key (migrations never import the app).
    special = str.maketrans({"ø": "o", "đ": "d", "ł": "l", "æ": "ae", "œ": "oe", "ð": "d",
                             "þ": "th", "ı": "i"})
    text = unicodedata.normalize("NFKC", text or "").casefold().translate(special)
    decomposed = unicodedata.normalize("NFKD", text)
    text = unicodedata.normalize("NFC", "".join(
        c for c in decomposed if not unicodedata.combining(c) or c in ("\u3099", "\u309a")))
    text = "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in text)
    return " ".join(text.split())


def _create_search_index():
    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        op.execute(f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
                   "name_key, content='users', content_rowid='id', tokenize='trigram')")
        op.execute(f"""CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON users BEGIN
            INSERT INTO {FTS_TABLE}(rowid, name_key) VALUES (new.id, new.name_key); END""")
        op.execute(f"""CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON users BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, name_key)
            VALUES ('delete', old.id, old.name_key); END""")
        op.execute(f"""CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE OF name_key ON users BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, name_key)
            VALUES ('delete', old.id, old.name_key);
            INSERT INTO {FTS_TABLE}(rowid, name_key) VALUES (new.id, new.name_key); END""")
        op.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    elif dialect == 'postgresql':
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(f"CREATE INDEX {TRGM_INDEX} ON users USING gin (name_key gin_trgm_ops)")


def _drop_search_index():
    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        for suffix in ('ai', 'ad', 'au'):
            op.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{suffix}")
        op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    elif dialect == 'postgresql':
        op.execute(f"DROP INDEX IF EXISTS {TRGM_INDEX}")


def _fill_name_keys():
    bind = op.get_bind()
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('name', sa.String),
                     sa.column('name_key', sa.String))
    rows = [{'uid': row.id, 'key': _search_key(row.name)}
            for row in bind.execute(sa.select(users.c.id, users.c.name))]
    if rows:
        bind.execute(users.update().where(users.c.id == sa.bindparam('uid'))
                     .values(name_key=sa.bindparam('key')), rows)


def upgrade():
    op.create_table('alumni_jet_roles',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('ALT', 'CIR', 'SEA', name='jet_role', native_enum=False, create_constraint=True, length=8), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['alumni_profiles.user_id'], name=op.f('fk_alumni_jet_roles_user_id_alumni_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'role', name=op.f('pk_alumni_jet_roles'))
    )
    with op.batch_alter_table('alumni_jet_roles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alumni_jet_roles_role'), ['role'], unique=False)

    op.create_table('alumni_languages',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['alumni_profiles.user_id'], name=op.f('fk_alumni_languages_user_id_alumni_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'code', name=op.f('pk_alumni_languages'))
    )
    with op.batch_alter_table('alumni_languages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alumni_languages_code'), ['code'], unique=False)

    # One JET role per profile becomes a set of roles.
    op.execute("INSERT INTO alumni_jet_roles (user_id, role) "
               "SELECT user_id, jet_role FROM alumni_profiles WHERE jet_role IS NOT NULL")

    with op.batch_alter_table('alumni_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('industry', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('employer', sa.String(length=160), server_default='', nullable=False))
        batch_op.add_column(sa.Column('japanese_level', sa.Enum('none', 'basic', 'conversational', 'business', 'fluent', 'native', name='japanese_level', native_enum=False, create_constraint=True, length=20), nullable=True))
        batch_op.add_column(sa.Column('jlpt_level', sa.Enum('N1', 'N2', 'N3', 'N4', 'N5', name='jlpt_level', native_enum=False, create_constraint=True, length=4), nullable=True))
        batch_op.add_column(sa.Column('bio', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('interests', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('phone', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('website_url', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('linkedin_url', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('member_set_fields', sa.JSON(), server_default='[]', nullable=False))
        batch_op.create_index(batch_op.f('ix_alumni_profiles_home_country'), ['home_country'], unique=False)
        batch_op.create_index(batch_op.f('ix_alumni_profiles_industry'), ['industry'], unique=False)
        batch_op.drop_constraint(op.f('ck_alumni_profiles_jet_role'), type_='check')
        batch_op.drop_column('jet_role')

    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('application_message', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('decision_message', sa.Text(), server_default='', nullable=False))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=200), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_users_name_key'), ['name_key'], unique=False)
    _fill_name_keys()
    _create_search_index()


def downgrade():
    _drop_search_index()
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_name_key'))
        batch_op.drop_column('name_key')

    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_column('decision_message')
        batch_op.drop_column('application_message')

    with op.batch_alter_table('alumni_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('jet_role', sa.Enum('ALT', 'CIR', 'SEA', name='jet_role', native_enum=False, create_constraint=True, length=8), nullable=True))
        batch_op.drop_index(batch_op.f('ix_alumni_profiles_industry'))
        batch_op.drop_index(batch_op.f('ix_alumni_profiles_home_country'))
        batch_op.drop_constraint(op.f('ck_alumni_profiles_jlpt_level'), type_='check')
        batch_op.drop_constraint(op.f('ck_alumni_profiles_japanese_level'), type_='check')
        for column in ('member_set_fields', 'linkedin_url', 'website_url', 'phone', 'interests',
                       'bio', 'jlpt_level', 'japanese_level', 'employer', 'industry'):
            batch_op.drop_column(column)

    op.execute("UPDATE alumni_profiles SET jet_role = (SELECT MIN(role) FROM alumni_jet_roles "
               "WHERE alumni_jet_roles.user_id = alumni_profiles.user_id)")
    with op.batch_alter_table('alumni_languages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alumni_languages_code'))
    op.drop_table('alumni_languages')
    with op.batch_alter_table('alumni_jet_roles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alumni_jet_roles_role'))
    op.drop_table('alumni_jet_roles')
