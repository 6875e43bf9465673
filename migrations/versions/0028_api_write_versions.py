"""Records written through the API: a version (ETag) on products, contracts, payment plans, activities and service
orders; a change time on products, payment plans, activities, service requests and orders (``updated_since``)

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07 14:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None

VERSIONED = ("product", "contract", "payment_plan", "activity", "service_order")
CHANGE_TIMES = {"product": "CURRENT_TIMESTAMP", "payment_plan": "created_at", "activity": "coalesce(done_at, created_at)",
                "service_request": "coalesce(closed_at, created_at)", "service_order": "coalesce(completed_at, "
                                                                                      "created_at)"}
"""Table -> what its new ``updated_at`` starts from."""


def upgrade() -> None:
    for table in sorted(set(VERSIONED) | set(CHANGE_TIMES)):
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table in VERSIONED:
                batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
            if table in CHANGE_TIMES:
                batch_op.add_column(sa.Column('updated_at', sa.DateTime(), nullable=True))
                batch_op.create_index(batch_op.f(f'ix_{table}_updated_at'), ['updated_at'], unique=False)
    for table, start in CHANGE_TIMES.items():
        op.execute(f"UPDATE {table} SET updated_at = {start}")


def downgrade() -> None:
    for table in sorted(set(VERSIONED) | set(CHANGE_TIMES)):
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table in CHANGE_TIMES:
                batch_op.drop_index(batch_op.f(f'ix_{table}_updated_at'))
                batch_op.drop_column('updated_at')
            if table in VERSIONED:
                batch_op.drop_column('version')
