"""Opportunities: source, products, version; quotes: opportunity and revisions; search indexes (PostgreSQL)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 00:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

TRIGRAM_INDEXES = {
    "ix_trgm_customer_company": ("customer", "company"),
    "ix_trgm_customer_phone": ("customer", "phone"),
    "ix_trgm_customer_email": ("customer", "email"),
    "ix_trgm_contact_name": ("contact", "name"),
    "ix_trgm_contact_phone": ("contact", "phone"),
    "ix_trgm_contact_mobile": ("contact", "mobile"),
    "ix_trgm_contact_email": ("contact", "email"),
    "ix_trgm_opportunity_name": ("opportunity", "name"),
    "ix_trgm_quote_number": ("quote", "number"),
    "ix_trgm_quote_title": ("quote", "title"),
    "ix_trgm_contract_number": ("contract", "number"),
    "ix_trgm_contract_title": ("contract", "title"),
    "ix_trgm_service_request_number": ("service_request", "number"),
    "ix_trgm_process_instance_title": ("process_instance", "title"),
}
"""GIN trigram indexes serving ``ILIKE '%q%'`` (global search; Chinese substrings too) — PostgreSQL only."""
GRAM_INDEXES = {
    "ix_grams_customer_company": ("customer", "company"),
    "ix_grams_contact_name": ("contact", "name"),
    "ix_grams_opportunity_name": ("opportunity", "name"),
    "ix_grams_quote_title": ("quote", "title"),
    "ix_grams_contract_title": ("contract", "title"),
}
"""GIN indexes over every one- and two-character piece of a name: trigrams cannot serve ``船舶`` (PostgreSQL)."""
GRAMS_FUNCTION = """
CREATE OR REPLACE FUNCTION crm_grams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT substr(lower(t), i, n)), '{}')
  FROM generate_series(1, 2) AS n, generate_series(1, char_length(t) - n + 1) AS i
$$"""


def upgrade() -> None:
    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('updated_by', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(), nullable=True))
    op.create_table('opportunity_product',
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunity.id'], name=op.f('fk_opportunity_product_opportunity_id_opportunity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_opportunity_product_product_id_product')),
    sa.PrimaryKeyConstraint('opportunity_id', 'product_id', name=op.f('pk_opportunity_product'))
    )
    with op.batch_alter_table('quote', schema=None) as batch_op:
        batch_op.add_column(sa.Column('opportunity_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('revision', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('revision_of_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_quote_opportunity_id'), ['opportunity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quote_revision_of_id'), ['revision_of_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_quote_opportunity_id_opportunity'), 'opportunity', ['opportunity_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_quote_revision_of_id_quote'), 'quote', ['revision_of_id'], ['id'])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, (table, column) in TRIGRAM_INDEXES.items():
            op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)")
        op.execute(GRAMS_FUNCTION)
        for name, (table, column) in GRAM_INDEXES.items():
            op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (crm_grams({column}))")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in (*TRIGRAM_INDEXES, *GRAM_INDEXES):
            op.execute(f"DROP INDEX IF EXISTS {name}")
        op.execute("DROP FUNCTION IF EXISTS crm_grams(text)")
    with op.batch_alter_table('quote', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_quote_revision_of_id_quote'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_quote_opportunity_id_opportunity'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_quote_revision_of_id'))
        batch_op.drop_index(batch_op.f('ix_quote_opportunity_id'))
        batch_op.drop_column('revision_of_id')
        batch_op.drop_column('revision')
        batch_op.drop_column('opportunity_id')
    op.drop_table('opportunity_product')
    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        batch_op.drop_column('updated_at')
        batch_op.drop_column('updated_by')
        batch_op.drop_column('version')
        batch_op.drop_column('source')
