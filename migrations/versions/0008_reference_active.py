"""reference data: branches and missions that left the data stay, inactive; per-country cycle dates

Revision ID: 0008_reference_active
Revises: 0007_activities
Create Date: 2026-12-01 11:45:00

`flask load-branches` no longer leaves a branch or mission that the files under
jetaa/data/ dropped looking current: it marks it inactive (its members, staff and
history stay). Every row that exists today is active. recruitment_dates holds the
dates admins set for one country's JET recruitment in one intake year.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008_reference_active'
down_revision = '0007_activities'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('branches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(),
                                      nullable=False))
    with op.batch_alter_table('missions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(),
                                      nullable=False))
    op.create_table(
        'recruitment_dates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('country', sa.String(length=2), nullable=False),
        sa.Column('intake', sa.Integer(), nullable=False),
        sa.Column('stage', sa.String(length=40), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_recruitment_dates')),
        sa.UniqueConstraint('country', 'intake', 'stage',
                            name='uq_recruitment_dates_country_intake_stage'),
    )


def downgrade():
    op.drop_table('recruitment_dates')
    with op.batch_alter_table('missions', schema=None) as batch_op:
        batch_op.drop_column('active')
    with op.batch_alter_table('branches', schema=None) as batch_op:
        batch_op.drop_column('active')
