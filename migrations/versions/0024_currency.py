"""Quotes and contracts carry their currency (ISO 4217); existing ones get the site's (CRM_CURRENCY, else CNY)

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 04:30:00
"""
import os

import sqlalchemy as sa
from alembic import op

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    site = (os.environ.get('CRM_CURRENCY', '').strip() or 'CNY').upper()
    for table in ('quote', 'contract'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('currency', sa.String(length=3), nullable=False, server_default=site))


def downgrade() -> None:
    for table in ('contract', 'quote'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('currency')
