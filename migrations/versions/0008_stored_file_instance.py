"""Uploads remember the process instance they were submitted to (download authorization).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stored_file", schema=None) as batch_op:
        batch_op.add_column(sa.Column("instance_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_stored_file_instance_id", ["instance_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("stored_file", schema=None) as batch_op:
        batch_op.drop_index("ix_stored_file_instance_id")
        batch_op.drop_column("instance_id")
