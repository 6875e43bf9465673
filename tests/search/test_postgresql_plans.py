"""On PostgreSQL the global search's own statements read the search indexes of migration 0029, also for a
two-character Chinese query that trigrams cannot serve (EXPLAIN of what ``services.search`` sends)."""

from __future__ import annotations

import pytest
from sqlalchemy import event, insert, select, text

from crm.accounts.users import User
from crm.customers.models import Contact, Customer
from services import search
from tests.conftest import servers_mode

pytestmark = pytest.mark.skipif(not servers_mode(), reason="the indexes exist on PostgreSQL only")

CUSTOMERS = 5_000
WORDS = ("海洋", "重工", "港务", "航运", "机械", "钢铁", "动力", "电气", "物流", "工程")


@pytest.fixture
def big_tables(platform):
    """5,000 customers with a contact each (one of them 上海船舶重工有限公司), owned by ``sales``; analysed."""
    with platform.sessions.begin() as session:
        owner = session.scalar(select(User.id).where(User.username == "sales"))
        rows = [{"company": f"{WORDS[n % 10]}{WORDS[n // 10 % 10]}有限公司{n}", "phone": f"021-{n:08d}",
                 "email": f"buyer{n}@example.cn", "owner_id": owner} for n in range(CUSTOMERS)]
        rows[4321]["company"] = "上海船舶重工有限公司"
        session.execute(insert(Customer), rows)
        session.execute(insert(Contact).from_select(
            ["customer_id", "name", "title", "phone", "mobile", "email", "opt_out"],
            select(Customer.id, text("'李伟'"), text("''"), text("''"), text("''"), text("''"), text("false"))))
    with platform.db.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE customer, contact"))
    return owner


def _plans(platform, query: str, scope: set[int] | None) -> tuple[dict, str]:
    """The search's hits and the EXPLAIN of every statement it sent, joined."""
    sent: list[tuple[str, dict]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        sent.append((statement, parameters))

    event.listen(platform.db, "before_cursor_execute", record)
    try:
        with platform.sessions() as session:
            found = search.search(session, query, scope, frozenset({"salesperson"}))
    finally:
        event.remove(platform.db, "before_cursor_execute", record)
    lines = []
    with platform.db.connect() as connection:
        cursor = connection.connection.driver_connection.cursor()
        for statement, parameters in sent:
            cursor.execute(f"EXPLAIN {statement}", parameters)
            lines += [row[0] for row in cursor.fetchall()]
    return found, "\n".join(lines)


QUERIES = {
    "舶": ("ix_search_grams_customer", "ix_search_grams_contact"),      # one character
    "船舶": ("ix_search_grams_customer", "ix_search_grams_contact"),    # two: no trigram
    "船舶重工": ("ix_search_customer", "ix_search_contact"),            # trigrams
}
"""Query -> the indexes its statements must read."""


def test_one_two_and_more_characters_use_the_search_indexes(platform, big_tables):
    for query, indexes in QUERIES.items():
        for scope in (None, {big_tables}):  # a director, and the owner (the data-scope filter)
            found, plan = _plans(platform, query, scope)
            assert [hit.label for hit in found["customers"]] == ["上海船舶重工有限公司"], query
            assert all(index in plan for index in indexes), (query, plan)
            assert "Seq Scan on customer" not in plan and "Seq Scan on contact" not in plan, (query, plan)
