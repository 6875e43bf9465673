"""Scheduled quality runs name their period: one run per period, whoever schedules it

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07 15:35:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('quality_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('period_key', sa.String(length=40), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_quality_run_period_key'), ['period_key'])


def downgrade() -> None:
    with op.batch_alter_table('quality_run', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_quality_run_period_key'), type_='unique')
        batch_op.drop_column('period_key')
