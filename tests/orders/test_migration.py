"""Migration 0003 goes down and up again on its own branch, on SQLite and PostgreSQL (with the exclusion constraint)."""

import os

import psycopg
import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from services.schema import alembic_config, upgrade
from tests.conftest import servers_mode

ORDER_TABLES = {"product", "quote", "quote_line", "contract", "contract_line", "contract_template", "project",
                "project_milestone", "payment_plan", "payment_plan_line", "payment", "order_reminder", "engineer",
                "engineer_skill", "engineer_booking", "service_request", "service_order", "service_order_item",
                "service_follow_up", "service_settlement"}


@pytest.fixture
def scratch_url(tmp_path):
    """A database of its own: a SQLite file, or a fresh PostgreSQL database next to the test one."""
    if not servers_mode():
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    url = make_url(os.environ["TEST_DATABASE_URL"])
    name = f"{url.database}_migrations"
    admin = psycopg.connect(host=url.host, port=url.port or 5432, user=url.username, password=url.password,
                            dbname="postgres", autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    yield url.set(database=name).render_as_string(hide_password=False)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_and_downgrade_of_the_orders_branch(scratch_url):
    upgrade(scratch_url)
    assert tables(scratch_url) >= ORDER_TABLES
    if servers_mode():
        engine = create_engine(scratch_url)
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT count(*) FROM pg_constraint WHERE conname = "
                                    "'ex_engineer_booking_no_overlap'")) == 1
        engine.dispose()
    command.downgrade(alembic_config(scratch_url), "0003")  # undo the merge of the branches (0007)
    command.downgrade(alembic_config(scratch_url), "0003@-1")  # then the orders branch alone
    remaining = tables(scratch_url)
    assert not ORDER_TABLES & remaining and {"customer", "process_instance"} <= remaining
    upgrade(scratch_url)
    assert tables(scratch_url) >= ORDER_TABLES
