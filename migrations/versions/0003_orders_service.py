"""orders and service: catalogue, quotes, contracts, projects, payment plans; service requests, dispatch

Revision ID: 0003
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0001'
branch_labels = None
depends_on = None

BOOKING_EXCLUSION = 'ex_engineer_booking_no_overlap'


def upgrade() -> None:
    op.create_table('contract_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_template')),
    sa.UniqueConstraint('name', name=op.f('uq_contract_template_name'))
    )
    op.create_table('product',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=50), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('skill', sa.String(length=50), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product')),
    sa.UniqueConstraint('code', name=op.f('uq_product_code'))
    )
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_kind'), ['kind'], unique=False)

    op.create_table('engineer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('work_start', sa.Time(), nullable=False),
    sa.Column('work_end', sa.Time(), nullable=False),
    sa.Column('work_days', sa.String(length=7), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_engineer_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_engineer')),
    sa.UniqueConstraint('user_id', name=op.f('uq_engineer_user_id'))
    )
    op.create_table('engineer_skill',
    sa.Column('engineer_id', sa.Integer(), nullable=False),
    sa.Column('skill', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['engineer_id'], ['engineer.id'], name=op.f('fk_engineer_skill_engineer_id_engineer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('engineer_id', 'skill', name=op.f('pk_engineer_skill'))
    )
    op.create_table('quote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=True),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('discount_percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('tax_percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_quote_customer_id_customer')),
    sa.ForeignKeyConstraint(['owner_id'], ['app_user.id'], name=op.f('fk_quote_owner_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quote')),
    sa.UniqueConstraint('number', name=op.f('uq_quote_number'))
    )
    with op.batch_alter_table('quote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quote_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quote_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quote_status'), ['status'], unique=False)

    op.create_table('service_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=True),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('request_type', sa.String(length=30), nullable=False),
    sa.Column('urgency', sa.String(length=20), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('handling', sa.String(length=20), nullable=False),
    sa.Column('resolution', sa.Text(), nullable=False),
    sa.Column('complaint_cause', sa.String(length=50), nullable=False),
    sa.Column('complaint_action', sa.Text(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_service_request_customer_id_customer')),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_service_request_product_id_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_request')),
    sa.UniqueConstraint('number', name=op.f('uq_service_request_number'))
    )
    with op.batch_alter_table('service_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_request_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_request_instance_id'), ['instance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_request_status'), ['status'], unique=False)

    op.create_table('contract',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=True),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('quote_id', sa.Integer(), nullable=True),
    sa.Column('template_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('discount_percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('tax_percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('tax_amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('payment_terms', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('approval_instance_id', sa.Integer(), nullable=True),
    sa.Column('approval_route', sa.String(length=200), nullable=False),
    sa.Column('escalated_at', sa.DateTime(), nullable=True),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('rejected_reason', sa.Text(), nullable=False),
    sa.Column('company_signed_on', sa.Date(), nullable=True),
    sa.Column('customer_signed_on', sa.Date(), nullable=True),
    sa.Column('terminated_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_contract_customer_id_customer')),
    sa.ForeignKeyConstraint(['owner_id'], ['app_user.id'], name=op.f('fk_contract_owner_id_app_user')),
    sa.ForeignKeyConstraint(['quote_id'], ['quote.id'], name=op.f('fk_contract_quote_id_quote')),
    sa.ForeignKeyConstraint(['template_id'], ['contract_template.id'], name=op.f('fk_contract_template_id_contract_template')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract')),
    sa.UniqueConstraint('number', name=op.f('uq_contract_number')),
    sa.UniqueConstraint('quote_id', name=op.f('uq_contract_quote_id'))
    )
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_approval_instance_id'), ['approval_instance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contract_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contract_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contract_status'), ['status'], unique=False)

    op.create_table('quote_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quote_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=12, scale=3), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('discount_percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_quote_line_product_id_product')),
    sa.ForeignKeyConstraint(['quote_id'], ['quote.id'], name=op.f('fk_quote_line_quote_id_quote'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quote_line'))
    )
    with op.batch_alter_table('quote_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quote_line_quote_id'), ['quote_id'], unique=False)

    op.create_table('service_order',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=True),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('free_service', sa.Boolean(), nullable=False),
    sa.Column('required_skill', sa.String(length=50), nullable=False),
    sa.Column('planned_hours', sa.Numeric(precision=12, scale=3), nullable=False),
    sa.Column('scheduled_start', sa.DateTime(), nullable=True),
    sa.Column('fee_quote', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('customer_confirmed', sa.Boolean(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('labour_hours', sa.Numeric(precision=12, scale=3), nullable=True),
    sa.Column('materials_cost', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('materials_note', sa.Text(), nullable=False),
    sa.Column('work_report', sa.Text(), nullable=False),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_service_order_customer_id_customer')),
    sa.ForeignKeyConstraint(['request_id'], ['service_request.id'], name=op.f('fk_service_order_request_id_service_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_order')),
    sa.UniqueConstraint('number', name=op.f('uq_service_order_number')),
    sa.UniqueConstraint('request_id', name=op.f('uq_service_order_request_id'))
    )
    with op.batch_alter_table('service_order', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_order_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_order_instance_id'), ['instance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_order_status'), ['status'], unique=False)

    op.create_table('contract_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=12, scale=3), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('discount_percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_contract_line_contract_id_contract'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_contract_line_product_id_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_line'))
    )
    with op.batch_alter_table('contract_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_line_contract_id'), ['contract_id'], unique=False)

    op.create_table('engineer_booking',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engineer_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_engineer_booking_positive_length')),
    sa.ForeignKeyConstraint(['engineer_id'], ['engineer.id'], name=op.f('fk_engineer_booking_engineer_id_engineer')),
    sa.ForeignKeyConstraint(['order_id'], ['service_order.id'], name=op.f('fk_engineer_booking_order_id_service_order')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_engineer_booking'))
    )
    with op.batch_alter_table('engineer_booking', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engineer_booking_engineer_id'), ['engineer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_engineer_booking_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_engineer_booking_starts_at'), ['starts_at'], unique=False)

    op.create_table('project',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=True),
    sa.Column('responsible_id', sa.Integer(), nullable=True),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('progress_percent', sa.Integer(), nullable=False),
    sa.Column('planned_delivery', sa.Date(), nullable=True),
    sa.Column('delivered_on', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_project_contract_id_contract')),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_project_customer_id_customer')),
    sa.ForeignKeyConstraint(['responsible_id'], ['app_user.id'], name=op.f('fk_project_responsible_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project')),
    sa.UniqueConstraint('contract_id', name=op.f('uq_project_contract_id')),
    sa.UniqueConstraint('number', name=op.f('uq_project_number'))
    )
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_responsible_id'), ['responsible_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_stage'), ['stage'], unique=False)

    op.create_table('service_follow_up',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('attitude', sa.Integer(), nullable=False),
    sa.Column('quality', sa.Integer(), nullable=False),
    sa.Column('complaint', sa.Boolean(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('complaint_action', sa.Text(), nullable=False),
    sa.Column('goodwill_percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['service_order.id'], name=op.f('fk_service_follow_up_order_id_service_order')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_follow_up')),
    sa.UniqueConstraint('order_id', name=op.f('uq_service_follow_up_order_id'))
    )
    op.create_table('service_order_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=12, scale=3), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['service_order.id'], name=op.f('fk_service_order_item_order_id_service_order'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_service_order_item_product_id_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_order_item'))
    )
    with op.batch_alter_table('service_order_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_order_item_order_id'), ['order_id'], unique=False)

    op.create_table('service_settlement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('policy', sa.String(length=30), nullable=False),
    sa.Column('labour_hours', sa.Numeric(precision=12, scale=3), nullable=False),
    sa.Column('labour_rate', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('labour_amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('materials_amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('items_amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('discount_percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('settled_by', sa.String(length=100), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_service_settlement_customer_id_customer')),
    sa.ForeignKeyConstraint(['order_id'], ['service_order.id'], name=op.f('fk_service_settlement_order_id_service_order')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_settlement')),
    sa.UniqueConstraint('order_id', name=op.f('uq_service_settlement_order_id'))
    )
    with op.batch_alter_table('service_settlement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_settlement_customer_id'), ['customer_id'], unique=False)

    op.create_table('payment_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=True),
    sa.Column('settlement_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_payment_plan_contract_id_contract')),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_payment_plan_customer_id_customer')),
    sa.ForeignKeyConstraint(['settlement_id'], ['service_settlement.id'], name=op.f('fk_payment_plan_settlement_id_service_settlement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_plan')),
    sa.UniqueConstraint('settlement_id', name=op.f('uq_payment_plan_settlement_id'))
    )
    with op.batch_alter_table('payment_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_plan_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_plan_customer_id'), ['customer_id'], unique=False)

    op.create_table('project_milestone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_project_milestone_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_milestone'))
    )
    with op.batch_alter_table('project_milestone', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_milestone_project_id'), ['project_id'], unique=False)

    op.create_table('payment_plan_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('percent', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('paid_amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('settled_on', sa.Date(), nullable=True),
    sa.Column('collection_instance_id', sa.Integer(), nullable=True),
    sa.Column('reminded_at', sa.DateTime(), nullable=True),
    sa.Column('escalated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['payment_plan.id'], name=op.f('fk_payment_plan_line_plan_id_payment_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_plan_line'))
    )
    with op.batch_alter_table('payment_plan_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_plan_line_collection_instance_id'), ['collection_instance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_plan_line_due_date'), ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_plan_line_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_plan_line_status'), ['status'], unique=False)

    op.create_table('order_reminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=True),
    sa.Column('plan_line_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('recipients', sa.Text(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('sent', sa.Boolean(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_order_reminder_contract_id_contract'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_line_id'], ['payment_plan_line.id'], name=op.f('fk_order_reminder_plan_line_id_payment_plan_line'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_reminder'))
    )
    with op.batch_alter_table('order_reminder', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_reminder_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_reminder_plan_line_id'), ['plan_line_id'], unique=False)

    op.create_table('payment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_line_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_payment_customer_id_customer')),
    sa.ForeignKeyConstraint(['plan_line_id'], ['payment_plan_line.id'], name=op.f('fk_payment_plan_line_id_payment_plan_line')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment'))
    )
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_plan_line_id'), ['plan_line_id'], unique=False)

    if op.get_bind().dialect.name == 'postgresql':  # two dispatchers can never double-book an engineer
        op.execute('CREATE EXTENSION IF NOT EXISTS btree_gist')
        op.execute(f'ALTER TABLE engineer_booking ADD CONSTRAINT {BOOKING_EXCLUSION} '
                   'EXCLUDE USING gist (engineer_id WITH =, tsrange(starts_at, ends_at) WITH &&)')


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f'ALTER TABLE engineer_booking DROP CONSTRAINT {BOOKING_EXCLUSION}')
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_plan_line_id'))
        batch_op.drop_index(batch_op.f('ix_payment_customer_id'))

    op.drop_table('payment')
    with op.batch_alter_table('order_reminder', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_reminder_plan_line_id'))
        batch_op.drop_index(batch_op.f('ix_order_reminder_contract_id'))

    op.drop_table('order_reminder')
    with op.batch_alter_table('payment_plan_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_plan_line_status'))
        batch_op.drop_index(batch_op.f('ix_payment_plan_line_plan_id'))
        batch_op.drop_index(batch_op.f('ix_payment_plan_line_due_date'))
        batch_op.drop_index(batch_op.f('ix_payment_plan_line_collection_instance_id'))

    op.drop_table('payment_plan_line')
    with op.batch_alter_table('project_milestone', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_milestone_project_id'))

    op.drop_table('project_milestone')
    with op.batch_alter_table('payment_plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_plan_customer_id'))
        batch_op.drop_index(batch_op.f('ix_payment_plan_contract_id'))

    op.drop_table('payment_plan')
    with op.batch_alter_table('service_settlement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_settlement_customer_id'))

    op.drop_table('service_settlement')
    with op.batch_alter_table('service_order_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_order_item_order_id'))

    op.drop_table('service_order_item')
    op.drop_table('service_follow_up')
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_stage'))
        batch_op.drop_index(batch_op.f('ix_project_responsible_id'))
        batch_op.drop_index(batch_op.f('ix_project_customer_id'))

    op.drop_table('project')
    with op.batch_alter_table('engineer_booking', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_engineer_booking_starts_at'))
        batch_op.drop_index(batch_op.f('ix_engineer_booking_order_id'))
        batch_op.drop_index(batch_op.f('ix_engineer_booking_engineer_id'))

    op.drop_table('engineer_booking')
    with op.batch_alter_table('contract_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_line_contract_id'))

    op.drop_table('contract_line')
    with op.batch_alter_table('service_order', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_order_status'))
        batch_op.drop_index(batch_op.f('ix_service_order_instance_id'))
        batch_op.drop_index(batch_op.f('ix_service_order_customer_id'))

    op.drop_table('service_order')
    with op.batch_alter_table('quote_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quote_line_quote_id'))

    op.drop_table('quote_line')
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_status'))
        batch_op.drop_index(batch_op.f('ix_contract_owner_id'))
        batch_op.drop_index(batch_op.f('ix_contract_customer_id'))
        batch_op.drop_index(batch_op.f('ix_contract_approval_instance_id'))

    op.drop_table('contract')
    with op.batch_alter_table('service_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_request_status'))
        batch_op.drop_index(batch_op.f('ix_service_request_instance_id'))
        batch_op.drop_index(batch_op.f('ix_service_request_customer_id'))

    op.drop_table('service_request')
    with op.batch_alter_table('quote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quote_status'))
        batch_op.drop_index(batch_op.f('ix_quote_owner_id'))
        batch_op.drop_index(batch_op.f('ix_quote_customer_id'))

    op.drop_table('quote')
    op.drop_table('engineer_skill')
    op.drop_table('engineer')
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_kind'))

    op.drop_table('product')
    op.drop_table('contract_template')
