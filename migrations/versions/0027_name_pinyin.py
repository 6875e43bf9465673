"""Customers and contacts: the name in pinyin and its initials (search by pinyin, sorting by pinyin)

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 04:30:00
"""
import sqlalchemy as sa
from alembic import op

from crm.customers.names import pinyin_keys

revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None

TABLES = {"customer": "company", "contact": "name"}
"""Table -> the name column its pinyin is made from."""
TRIGRAM_INDEXES = {
    "ix_trgm_customer_name_pinyin": ("customer", "name_pinyin"),
    "ix_trgm_customer_name_initials": ("customer", "name_initials"),
    "ix_trgm_contact_name_pinyin": ("contact", "name_pinyin"),
    "ix_trgm_contact_name_initials": ("contact", "name_initials"),
}
"""GIN trigram indexes serving ``ILIKE '%bjsj%'`` (PostgreSQL only)."""
BATCH = 1000


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('name_pinyin', sa.String(length=400), server_default='', nullable=False))
            batch_op.add_column(sa.Column('name_initials', sa.String(length=200), server_default='', nullable=False))
            batch_op.create_index(batch_op.f(f'ix_{table}_name_pinyin'), ['name_pinyin'], unique=False)
    for table, source in TABLES.items():
        _fill(table, source)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, (table, column) in TRIGRAM_INDEXES.items():
            op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)")


def _fill(table_name: str, source: str) -> None:
    """The pinyin of every existing row, in batches by id."""
    connection = op.get_bind()
    table = sa.table(table_name, sa.column("id", sa.Integer), sa.column(source, sa.String),
                     sa.column("name_pinyin", sa.String), sa.column("name_initials", sa.String))
    last = 0
    while True:
        rows = connection.execute(sa.select(table.c.id, table.c[source]).where(table.c.id > last)
                                  .order_by(table.c.id).limit(BATCH)).all()
        if not rows:
            return
        for row in rows:
            full, initials = pinyin_keys(row[1])
            connection.execute(table.update().where(table.c.id == row.id)
                               .values(name_pinyin=full, name_initials=initials))
        last = rows[-1].id


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in TRIGRAM_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_name_pinyin'))
            batch_op.drop_column('name_initials')
            batch_op.drop_column('name_pinyin')
