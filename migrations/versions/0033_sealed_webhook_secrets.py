"""Webhook signing secrets stored sealed (encrypted with a key derived from SECRET_KEY): the column holds the sealed
value, and the secrets already stored are sealed now

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-07 18:50:00

Run it with the site's SECRET_KEY in the environment (as the app runs): what it seals, the app must open.
"""
import sqlalchemy as sa
from alembic import op

import config
from crm import sealing

revision = '0033'
down_revision = '0032'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("webhook") as batch:
        batch.alter_column("secret", type_=sa.Text(), existing_type=sa.String(100), existing_nullable=False)
    key = sealing.key_for(config.from_environment().secret_key)
    connection = op.get_bind()
    for hook_id, secret in connection.execute(sa.text("SELECT id, secret FROM webhook")).all():
        if not sealing.is_sealed(secret):
            connection.execute(sa.text("UPDATE webhook SET secret = :secret WHERE id = :id"),
                               {"secret": sealing.seal(secret, key), "id": hook_id})


def downgrade() -> None:
    key = sealing.key_for(config.from_environment().secret_key)
    connection = op.get_bind()
    for hook_id, secret in connection.execute(sa.text("SELECT id, secret FROM webhook")).all():
        if sealing.is_sealed(secret):
            connection.execute(sa.text("UPDATE webhook SET secret = :secret WHERE id = :id"),
                               {"secret": sealing.unseal(secret, key), "id": hook_id})
    with op.batch_alter_table("webhook") as batch:
        batch.alter_column("secret", type_=sa.String(100), existing_type=sa.Text(), existing_nullable=False)
