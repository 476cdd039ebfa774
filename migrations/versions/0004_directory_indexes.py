"""directory indexes: home country with first JET year

Revision ID: 0004_directory_indexes
Revises: 0003_events
Create Date: 2026-11-25 13:40:00

The directory's "country, by JET years" search reads its page straight from
(home_country, start_year) instead of sorting every alumnus of that country;
the index also answers the country filter alone, so it replaces the
one-column index.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0004_directory_indexes'
down_revision = '0003_events'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('alumni_profiles', schema=None) as batch_op:
        batch_op.create_index('ix_alumni_profiles_country_start',
                              ['home_country', 'start_year'], unique=False)
        batch_op.drop_index('ix_alumni_profiles_home_country')


def downgrade():
    with op.batch_alter_table('alumni_profiles', schema=None) as batch_op:
        batch_op.create_index('ix_alumni_profiles_home_country', ['home_country'], unique=False)
        batch_op.drop_index('ix_alumni_profiles_country_start')
