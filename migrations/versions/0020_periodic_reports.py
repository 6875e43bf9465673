"""Periodic sales reports: one row per salesperson, kind (daily/weekly/monthly) and period (issue 16)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 04:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('periodic_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=True),
    sa.Column('figures_at', sa.DateTime(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('problems', sa.Text(), nullable=False),
    sa.Column('next_plan', sa.Text(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('times_submitted', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('manager_comment', sa.Text(), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['app_user.id'], name=op.f('fk_periodic_report_owner_id_app_user')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['app_user.id'], name=op.f('fk_periodic_report_reviewer_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_periodic_report')),
    sa.UniqueConstraint('owner_id', 'kind', 'period_start', name=op.f('uq_periodic_report_owner_id')),
    )
    with op.batch_alter_table('periodic_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_periodic_report_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_periodic_report_period_start'), ['period_start'], unique=False)
        batch_op.create_index(batch_op.f('ix_periodic_report_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_periodic_report_instance_id'), ['instance_id'], unique=False)


def downgrade() -> None:
    op.drop_table('periodic_report')
