"""Global search finds customers by registry number: trigram index (PostgreSQL only)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 01:50:00
"""
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX IF NOT EXISTS ix_trgm_customer_registry_number ON customer "
                   "USING gin (registry_number gin_trgm_ops)")
        op.execute("ALTER FUNCTION crm_grams(text) COST 10000")  # a scan that computes it is never cheaper


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_trgm_customer_registry_number")
