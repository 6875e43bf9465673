"""KPI targets: baseline and target of each KPI per year and company, team or salesperson

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 04:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'kpi_target',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('kpi', sa.String(length=30), nullable=False),
        sa.Column('scope_kind', sa.String(length=20), nullable=False),
        sa.Column('scope_id', sa.Integer(), nullable=False),
        sa.Column('baseline', sa.Numeric(precision=16, scale=2), nullable=True),
        sa.Column('target', sa.Numeric(precision=16, scale=2), nullable=True),
        sa.Column('updated_by', sa.String(length=100), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_target')),
        sa.UniqueConstraint('year', 'kpi', 'scope_kind', 'scope_id', name=op.f('uq_kpi_target_year')),
    )


def downgrade() -> None:
    op.drop_table('kpi_target')
