"""worklist indexes: partial indexes over queued tasks (first page by due date; counts)

Revision ID: 0006
Revises: 0001
Create Date: 2026-11-23 21:00:00
"""
import sqlalchemy as sa
from alembic import op


revision = '0006'
down_revision = '0001'
branch_labels = None
depends_on = None

QUEUED = "status = 'ready' AND assignee IS NULL"


def upgrade() -> None:
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.create_index('ix_human_task_open_due', ['due_at', 'created_at'], unique=False,
                              postgresql_where=sa.text(QUEUED), sqlite_where=sa.text(QUEUED))
        batch_op.create_index('ix_human_task_open_role', ['role', 'customer_id'], unique=False,
                              postgresql_where=sa.text(QUEUED), sqlite_where=sa.text(QUEUED))


def downgrade() -> None:
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.drop_index('ix_human_task_open_role')
        batch_op.drop_index('ix_human_task_open_due')
