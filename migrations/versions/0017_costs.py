"""Costs: a standard cost on products, an optional unit cost on quote and contract lines (gross margin)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 04:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.add_column(sa.Column('standard_cost', sa.Numeric(precision=14, scale=2), nullable=True))
    for table in ('quote_line', 'contract_line'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('unit_cost', sa.Numeric(precision=14, scale=2), nullable=True))


def downgrade() -> None:
    for table in ('contract_line', 'quote_line'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('unit_cost')
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.drop_column('standard_cost')
