"""Decision tables versioned on their own; settlements and quotes record the table version that priced them

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-07 14:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0032'
down_revision = '0031'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'decision_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('decision_key', sa.String(length=200), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=300), nullable=False),
        sa.Column('filename', sa.String(length=300), nullable=False),
        sa.Column('content_hash', sa.String(length=64), nullable=False),
        sa.Column('source_xml', sa.Text(), nullable=False),
        sa.Column('deployed_by', sa.String(length=100), nullable=False),
        sa.Column('deployed_at', sa.DateTime(), nullable=False),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_version')),
        sa.UniqueConstraint('decision_key', 'version', name=op.f('uq_decision_version_decision_key')),
    )
    op.create_index(op.f('ix_decision_version_decision_key'), 'decision_version', ['decision_key'])
    with op.batch_alter_table('service_settlement') as batch:
        batch.add_column(sa.Column('policy_version', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('discount_version', sa.Integer(), nullable=True))
    with op.batch_alter_table('quote') as batch:
        batch.add_column(sa.Column('discount_version', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('payment_days', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('quote') as batch:
        batch.drop_column('payment_days')
        batch.drop_column('discount_version')
    with op.batch_alter_table('service_settlement') as batch:
        batch.drop_column('discount_version')
        batch.drop_column('policy_version')
    op.drop_index(op.f('ix_decision_version_decision_key'), table_name='decision_version')
    op.drop_table('decision_version')
