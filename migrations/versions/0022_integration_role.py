"""The Integration role (a website booking form's API user: creates service requests only)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 04:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

ROLE = sa.table('role', sa.column('key', sa.String), sa.column('label', sa.String))


def upgrade() -> None:
    connection = op.get_bind()
    if connection.execute(sa.select(ROLE.c.key).where(ROLE.c.key == 'integration')).first() is None:
        op.bulk_insert(ROLE, [{'key': 'integration', 'label': 'Integration (creates service requests only)'}])


def downgrade() -> None:
    op.execute(ROLE.delete().where(ROLE.c.key == 'integration'))
