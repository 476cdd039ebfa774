"""activity figures: the dashboards' monthly sums of the verified activities

Revision ID: 0010_activity_figures
Revises: 0009_outreach
Create Date: 2026-12-01 11:40:00

Per month, host or co-host branch, the activity's own host, category and currency (and
per partner organisation): what the impact dashboards and annual reports sum, so that a
page reads a few hundred small rows instead of grouping thousands of activities. The app
keeps them in step on every write (jetaa/activities/rollups.py); this fills them from the
activities already there.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0010_activity_figures'
down_revision = '0009_outreach'
branch_labels = None
depends_on = None

CATEGORIES = ('language', 'culture', 'schools', 'festivals', 'disaster_relief', 'sister_cities',
              'careers', 'sports', 'mentoring', 'recruitment', 'other')

# Each verified activity with its host branch, and again with each co-host branch.
HOSTS = """
    SELECT a.id AS activity_id, a.branch_id AS branch_id, a.branch_id AS host_id
    FROM activities a WHERE a.status = 'verified'
    UNION ALL
    SELECT c.activity_id, c.branch_id, a.branch_id
    FROM activity_cohosts c JOIN activities a ON a.id = c.activity_id
    WHERE a.status = 'verified' AND c.branch_id != a.branch_id
"""


def _month(dialect: str) -> str:
    if dialect == 'postgresql':
        return "CAST(date_trunc('month', a.starts_on) AS DATE)"
    return "date(a.starts_on, 'start of month')"


def upgrade():
    op.create_table('activity_month_figures',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('host_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.Enum(*CATEGORIES, name='activity_category', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('activities', sa.Integer(), nullable=False),
    sa.Column('people', sa.BigInteger(), nullable=False),
    sa.Column('tenths', sa.BigInteger(), nullable=False),
    sa.Column('members', sa.BigInteger(), nullable=False),
    sa.Column('raised', sa.BigInteger(), nullable=False),
    sa.Column('spent', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_activity_month_figures_branch_id_branches'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['host_id'], ['branches.id'], name=op.f('fk_activity_month_figures_host_id_branches'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('month', 'branch_id', 'host_id', 'category', 'currency', name=op.f('pk_activity_month_figures')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('activity_month_figures', schema=None) as batch_op:
        batch_op.create_index('ix_activity_month_figures_branch_month', ['branch_id', 'month'], unique=False)

    op.create_table('activity_month_partners',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('host_id', sa.Integer(), nullable=False),
    sa.Column('name_key', sa.String(length=160), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('activities', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_activity_month_partners_branch_id_branches'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['host_id'], ['branches.id'], name=op.f('fk_activity_month_partners_host_id_branches'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('month', 'branch_id', 'host_id', 'name_key', name=op.f('pk_activity_month_partners')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('activity_month_partners', schema=None) as batch_op:
        batch_op.create_index('ix_activity_month_partners_branch_month', ['branch_id', 'month'], unique=False)

    month = _month(op.get_bind().dialect.name)
    op.execute(f"""
        INSERT INTO activity_month_figures (month, branch_id, host_id, category, currency,
            activities, people, tenths, members, raised, spent)
        SELECT {month}, h.branch_id, h.host_id, a.category, a.currency, count(*),
            sum(a.people_reached), sum(a.volunteer_tenths), sum(a.members_involved),
            sum(a.money_raised), sum(a.money_spent)
        FROM ({HOSTS}) h JOIN activities a ON a.id = h.activity_id
        GROUP BY {month}, h.branch_id, h.host_id, a.category, a.currency
    """)
    op.execute(f"""
        INSERT INTO activity_month_partners (month, branch_id, host_id, name_key, name, activities)
        SELECT {month}, h.branch_id, h.host_id, lower(p.name), min(p.name),
            count(DISTINCT p.activity_id)
        FROM ({HOSTS}) h JOIN activities a ON a.id = h.activity_id
        JOIN activity_partners p ON p.activity_id = a.id
        GROUP BY {month}, h.branch_id, h.host_id, lower(p.name)
    """)
    # The planner's statistics for the rows just written (PostgreSQL's autovacuum comes later).
    op.execute("ANALYZE activity_month_figures")
    op.execute("ANALYZE activity_month_partners")


def downgrade():
    with op.batch_alter_table('activity_month_partners', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_month_partners_branch_month')

    op.drop_table('activity_month_partners')
    with op.batch_alter_table('activity_month_figures', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_month_figures_branch_month')

    op.drop_table('activity_month_figures')
