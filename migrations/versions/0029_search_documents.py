"""Global search: one searchable text per record, indexed by trigrams and by its one- and two-character pieces
(PostgreSQL only)

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07 14:40:00
"""
from alembic import op

revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None

DOCUMENTS = {
    "customer": "company, registry_number, phone, email, name_pinyin, name_initials",
    "contact": "name, phone, mobile, email, name_pinyin, name_initials",
    "opportunity": "name",
    "quote": "number, title",
    "contract": "number, title",
    "service_request": "number",
    "process_instance": "title",
}
"""Table -> the columns of its searchable text, in the order ``services.search.DOCUMENTS`` names them."""
TEXT_FUNCTION = """
CREATE OR REPLACE FUNCTION crm_search_text(VARIADIC parts text[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL RESTRICTED AS $$ SELECT array_to_string(parts, E'\\n') $$"""
GRAMS_FUNCTION = r"""
CREATE OR REPLACE FUNCTION crm_search_grams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL RESTRICTED AS $$
  SELECT array_remove(string_to_array(lower(t), NULL)
    || string_to_array(regexp_replace(lower(t), '(..)', E'\\1\n', 'g'), E'\n')
    || string_to_array(regexp_replace(substr(lower(t), 2), '(..)', E'\\1\n', 'g'), E'\n'), '')
$$"""
"""Every character and every pair of neighbouring characters, lower-cased (pairs across the fields' line breaks
are never asked for: a query has no line break). Both functions are PARALLEL RESTRICTED: a search reads ten rows,
and a parallel plan for all the matching rows (its workers finish their share) costs more than it saves."""
OLD_GRAM_INDEXES = {
    "ix_grams_customer_company": ("customer", "company"),
    "ix_grams_contact_name": ("contact", "name"),
    "ix_grams_opportunity_name": ("opportunity", "name"),
    "ix_grams_quote_title": ("quote", "title"),
    "ix_grams_contract_title": ("contract", "title"),
}
"""Migration 0012's per-name indexes, replaced by the searchable text's."""
OLD_GRAMS_FUNCTION = """
CREATE OR REPLACE FUNCTION crm_grams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT substr(lower(t), i, n)), '{}')
  FROM generate_series(1, 2) AS n, generate_series(1, char_length(t) - n + 1) AS i
$$"""
INDEX_OPTIONS = "WITH (gin_pending_list_limit = 256)"
"""A short pending list (256 kB, not 4 MB): a search scans the unsorted recent entries of every index it reads,
which made searches several times slower until the next vacuum; inserts still go in batches (``fastupdate =
off`` made an insert of 5,000 customers 4 times slower)."""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name in OLD_GRAM_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    op.execute("DROP FUNCTION IF EXISTS crm_grams(text)")
    op.execute(TEXT_FUNCTION)
    op.execute(GRAMS_FUNCTION)
    for table, columns in DOCUMENTS.items():
        text = f"crm_search_text({columns})"
        op.execute(f"CREATE INDEX IF NOT EXISTS ix_search_{table} ON {table} "
                   f"USING gin ({text} gin_trgm_ops) {INDEX_OPTIONS}")
        op.execute(f"CREATE INDEX IF NOT EXISTS ix_search_grams_{table} ON {table} "
                   f"USING gin (crm_search_grams({text})) {INDEX_OPTIONS}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in DOCUMENTS:
        op.execute(f"DROP INDEX IF EXISTS ix_search_{table}")
        op.execute(f"DROP INDEX IF EXISTS ix_search_grams_{table}")
    op.execute("DROP FUNCTION IF EXISTS crm_search_grams(text)")
    op.execute("DROP FUNCTION IF EXISTS crm_search_text(text[])")
    op.execute(OLD_GRAMS_FUNCTION)
    op.execute("ALTER FUNCTION crm_grams(text) COST 10000")
    for name, (table, column) in OLD_GRAM_INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (crm_grams({column}))")
