"""sales: behaviour events, opportunities and stage history, activities and daily plans, visits,
receptions, tenders, expense claims, service plans, customer owner changes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 10:00:00.000000
"""
import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('daily_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('manager_comment', sa.Text(), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['owner_id'], ['app_user.id'], name=op.f('fk_daily_plan_owner_id_app_user')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['app_user.id'], name=op.f('fk_daily_plan_reviewed_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_daily_plan')),
    sa.UniqueConstraint('owner_id', 'day', name=op.f('uq_daily_plan_owner_id'))
    )
    with op.batch_alter_table('daily_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_daily_plan_owner_id'), ['owner_id'], unique=False)

    op.create_table('customer_owner_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('from_owner_id', sa.Integer(), nullable=True),
    sa.Column('to_owner_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('changed_by', sa.String(length=100), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_customer_owner_change_customer_id_customer')),
    sa.ForeignKeyConstraint(['from_owner_id'], ['app_user.id'], name=op.f('fk_customer_owner_change_from_owner_id_app_user')),
    sa.ForeignKeyConstraint(['to_owner_id'], ['app_user.id'], name=op.f('fk_customer_owner_change_to_owner_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_owner_change'))
    )
    with op.batch_alter_table('customer_owner_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_owner_change_customer_id'), ['customer_id'], unique=False)

    op.create_table('expense_claim',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('claimant_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.String(length=20), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('advance', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('approved_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('payment_reference', sa.String(length=100), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['claimant_id'], ['app_user.id'], name=op.f('fk_expense_claim_claimant_id_app_user')),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_expense_claim_customer_id_customer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expense_claim'))
    )
    with op.batch_alter_table('expense_claim', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expense_claim_claimant_id'), ['claimant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_expense_claim_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_expense_claim_instance_id'), ['instance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_expense_claim_status'), ['status'], unique=False)

    op.create_table('opportunity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('stage', sa.Integer(), nullable=False),
    sa.Column('probability_override', sa.Integer(), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('expected_close', sa.Date(), nullable=True),
    sa.Column('status_analysis', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('lost_reason', sa.String(length=200), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_opportunity_customer_id_customer')),
    sa.ForeignKeyConstraint(['owner_id'], ['app_user.id'], name=op.f('fk_opportunity_owner_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opportunity'))
    )
    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_opportunity_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_opportunity_instance_id'), ['instance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_opportunity_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_opportunity_stage'), ['stage'], unique=False)
        batch_op.create_index(batch_op.f('ix_opportunity_status'), ['status'], unique=False)

    op.create_table('reception',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('host_id', sa.Integer(), nullable=True),
    sa.Column('purpose', sa.String(length=300), nullable=False),
    sa.Column('guests', sa.Text(), nullable=False),
    sa.Column('guest_count', sa.Integer(), nullable=False),
    sa.Column('arrival_date', sa.Date(), nullable=True),
    sa.Column('budget', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('arrangements', sa.Text(), nullable=False),
    sa.Column('approval_level', sa.String(length=50), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('advance_paid', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('report', sa.Text(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_reception_customer_id_customer')),
    sa.ForeignKeyConstraint(['host_id'], ['app_user.id'], name=op.f('fk_reception_host_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reception'))
    )
    with op.batch_alter_table('reception', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reception_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reception_host_id'), ['host_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reception_instance_id'), ['instance_id'], unique=False)

    op.create_table('service_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('service_items', sa.String(length=300), nullable=False),
    sa.Column('visits_per_year', sa.Integer(), nullable=False),
    sa.Column('budget', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_service_plan_customer_id_customer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_plan'))
    )
    with op.batch_alter_table('service_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_plan_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_plan_instance_id'), ['instance_id'], unique=False)

    op.create_table('activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('opportunity_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('planned_for', sa.Date(), nullable=True),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('next_action', sa.String(length=300), nullable=False),
    sa.Column('next_action_date', sa.Date(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_activity_contact_id_contact')),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_activity_customer_id_customer')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunity.id'], name=op.f('fk_activity_opportunity_id_opportunity')),
    sa.ForeignKeyConstraint(['owner_id'], ['app_user.id'], name=op.f('fk_activity_owner_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity'))
    )
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_done_at'), ['done_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_instance_id'), ['instance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_opportunity_id'), ['opportunity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_planned_for'), ['planned_for'], unique=False)

    op.create_table('behaviour_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('detail', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_behaviour_event_contact_id_contact')),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_behaviour_event_customer_id_customer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_behaviour_event'))
    )
    with op.batch_alter_table('behaviour_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_behaviour_event_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_behaviour_event_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_behaviour_event_customer_id'), ['customer_id'], unique=False)

    op.create_table('expense_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['expense_claim.id'], name=op.f('fk_expense_line_claim_id_expense_claim')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expense_line'))
    )
    with op.batch_alter_table('expense_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expense_line_claim_id'), ['claim_id'], unique=False)

    op.create_table('opportunity_stage_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('from_stage', sa.Integer(), nullable=True),
    sa.Column('to_stage', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('probability', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('expected_close', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('changed_by', sa.String(length=100), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunity.id'], name=op.f('fk_opportunity_stage_change_opportunity_id_opportunity')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opportunity_stage_change'))
    )
    with op.batch_alter_table('opportunity_stage_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_opportunity_stage_change_opportunity_id'), ['opportunity_id'], unique=False)

    op.create_table('tender',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('project', sa.String(length=300), nullable=False),
    sa.Column('deadline', sa.DateTime(), nullable=True),
    sa.Column('estimated_value', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('documents', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('bid_bond', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('bond_status', sa.String(length=20), nullable=False),
    sa.Column('bid_price', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('reminders_sent', sa.Integer(), nullable=False),
    sa.Column('result_note', sa.Text(), nullable=False),
    sa.Column('loss_reason', sa.String(length=200), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_tender_customer_id_customer')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunity.id'], name=op.f('fk_tender_opportunity_id_opportunity')),
    sa.ForeignKeyConstraint(['owner_id'], ['app_user.id'], name=op.f('fk_tender_owner_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tender'))
    )
    with op.batch_alter_table('tender', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tender_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tender_instance_id'), ['instance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tender_owner_id'), ['owner_id'], unique=False)

    op.create_table('visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('visitor_id', sa.Integer(), nullable=True),
    sa.Column('purpose', sa.String(length=300), nullable=False),
    sa.Column('planned_date', sa.Date(), nullable=True),
    sa.Column('objectives', sa.Text(), nullable=False),
    sa.Column('budget', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('approval_level', sa.String(length=50), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('advance_paid', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('visited_on', sa.Date(), nullable=True),
    sa.Column('needs', sa.Text(), nullable=False),
    sa.Column('objections', sa.Text(), nullable=False),
    sa.Column('gifts', sa.Text(), nullable=False),
    sa.Column('gift_value', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('next_visit_date', sa.Date(), nullable=True),
    sa.Column('report', sa.Text(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_visit_contact_id_contact')),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_visit_customer_id_customer')),
    sa.ForeignKeyConstraint(['visitor_id'], ['app_user.id'], name=op.f('fk_visit_visitor_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit'))
    )
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_instance_id'), ['instance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_visitor_id'), ['visitor_id'], unique=False)


def downgrade() -> None:
    # indexes go with their tables
    op.drop_table('visit')
    op.drop_table('tender')
    op.drop_table('opportunity_stage_change')
    op.drop_table('expense_line')
    op.drop_table('behaviour_event')
    op.drop_table('activity')
    op.drop_table('service_plan')
    op.drop_table('reception')
    op.drop_table('opportunity')
    op.drop_table('expense_claim')
    op.drop_table('customer_owner_change')
    op.drop_table('daily_plan')
