"""Share of wallet: customers' estimated annual purchases of the category, per year with the source

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 04:10:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'wallet_estimate',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('customer_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column('source', sa.String(length=200), nullable=False),
        sa.Column('entered_by', sa.String(length=100), nullable=False),
        sa.Column('entered_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_wallet_estimate_customer_id_customer'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_wallet_estimate')),
    )
    with op.batch_alter_table('wallet_estimate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wallet_estimate_customer_id'), ['customer_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('wallet_estimate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wallet_estimate_customer_id'))
    op.drop_table('wallet_estimate')
