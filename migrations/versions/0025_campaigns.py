"""Marketing campaigns: campaign, invited/attending contacts, opportunity.campaign_id (issue 16 item 5)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 04:45:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('campaign',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('cost', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign')),
    )
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_starts_on'), ['starts_on'], unique=False)
    op.create_table('campaign_contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('invited_at', sa.DateTime(), nullable=False),
    sa.Column('attended', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_campaign_contact_campaign_id_campaign'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_campaign_contact_contact_id_contact')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_contact')),
    sa.UniqueConstraint('campaign_id', 'contact_id', name=op.f('uq_campaign_contact_campaign_id')),
    )
    with op.batch_alter_table('campaign_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_contact_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaign_contact_contact_id'), ['contact_id'], unique=False)
    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('campaign_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_opportunity_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_opportunity_campaign_id_campaign'), 'campaign', ['campaign_id'],
                                    ['id'])


def downgrade() -> None:
    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_opportunity_campaign_id_campaign'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_opportunity_campaign_id'))
        batch_op.drop_column('campaign_id')
    op.drop_table('campaign_contact')
    op.drop_table('campaign')
