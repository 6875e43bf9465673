"""Users: language and time zone of their own choice (empty: the site's)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 04:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=10), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('timezone', sa.String(length=64), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_column('timezone')
        batch_op.drop_column('language')
