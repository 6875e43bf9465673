"""Worklist data at scale on PostgreSQL: 1,000,000 task rows, about 50,000 open in one user's lanes.

Rows are generated server-side (INSERT ... SELECT over generate_series, in random physical order) into the
real, migrated tables, with keys and indexes dropped during the load and rebuilt after it; the 10,000
instances carry a real saved approval state.
"""

from __future__ import annotations

import time

from sqlalchemy import insert, select, text

from config import PROJECT_ROOT
from crm.accounts.access import create_user, ensure_roles
from crm.customers.models import Customer
from engine.errors import EngineError
from engine.models import ProcessInstance, ProcessVersion

from .common import platform_for, start

USER = "bench"
PASSWORD = "bench-password"
BPMN_DIR = PROJECT_ROOT / "bpmn"
USER_ROLES = ("salesperson", "service_agent")  # salesperson is a scoped lane (services.processes.scope)
OTHER_ROLES = ("information_officer", "sales_director", "marketing_director", "finance", "customer_director",
               "engineer", "process_owner", *(f"branch_{n}_desk" for n in range(1, 12)))
COLLEAGUES = 20
CUSTOMERS = 5_000  # 1-1000 owned by the user, 1001-4000 by colleagues, 4001-5000 by nobody
INSTANCES = 10_000
TASKS = 1_000_000
QUEUE_TASKS = 50_000  # ready, unassigned, in the user's lanes and scope
MINE_TASKS = 300  # ready, assigned to the user
ASSIGNED_IN_LANES = 9_700  # ready in the user's lanes, assigned to colleagues
OUT_OF_SCOPE = 40_000  # ready, unassigned, salesperson lane, customers of colleagues
OPEN_TASKS = 200_000  # ready in total; the remaining 800,000 are completed


def generate(database_url: str) -> dict:
    """Fill an empty, migrated database; returns row counts and how long generation took."""
    began = time.perf_counter()
    platform = platform_for(database_url, "approval.bpmn")
    start(platform, "approval", {})  # one real instance: its saved state is copied to every bulk instance
    deployed = _deploy_customer_processes(platform)
    with platform.sessions.begin() as session:
        ensure_roles(session)
        user = create_user(session, USER, PASSWORD, "Bench User", USER_ROLES)
        colleagues = [create_user(session, f"colleague_{n:02}", PASSWORD, f"Colleague {n}", ["salesperson"],
                                  manager=user if n == 1 else None) for n in range(1, COLLEAGUES + 1)]
        session.execute(insert(Customer), [
            {"company": f"Customer {n}", "owner_id": _owner(n, user.id, colleagues)}
            for n in range(1, CUSTOMERS + 1)
        ])
        state = session.scalar(select(ProcessInstance.state))
        version_id = session.scalar(select(ProcessVersion.id).where(ProcessVersion.process_key == "approval"))
        session.execute(text("""
            INSERT INTO process_instance (version_id, process_key, title, status, waiting_on, state, lock_version,
                customer_id, started_by, started_at, updated_at)
            SELECT :version_id, 'approval', 'Simple approval', 'running', '', :state, 1, 1 + g % 5000, 'bench',
                   now() - random() * interval '60 days', now()
            FROM generate_series(1, :n) g"""), {"version_id": version_id, "state": state, "n": INSTANCES})
        first, last = session.execute(text("SELECT min(id), max(id) FROM process_instance")).one()
        session.execute(text("SET LOCAL work_mem = '512MB'"))  # sort the rows in memory
        session.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
        rebuild = _drop_keys_and_indexes(session, "human_task")
        queue, mine = QUEUE_TASKS, QUEUE_TASKS + MINE_TASKS
        lanes = mine + ASSIGNED_IN_LANES
        session.execute(text(_TASKS_SQL), {
            "first": first, "span": last - first + 1, "tasks": TASKS, "queue": queue, "mine": mine,
            "lanes": lanes, "out_of_scope": lanes + OUT_OF_SCOPE, "open": OPEN_TASKS, "user": USER,
            "mine_roles": list(USER_ROLES), "other_roles": list(OTHER_ROLES),
            "all_roles": [*USER_ROLES, *OTHER_ROLES],
        })
        for statement in rebuild:
            session.execute(text(statement))
    with platform.db.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
    platform.db.dispose()
    return {"human_task_rows": TASKS + 1, "process_instance_rows": INSTANCES + 1, "customers": CUSTOMERS,
            "customer_processes_deployed": deployed,
            "queue_tasks": QUEUE_TASKS, "mine_tasks": MINE_TASKS, "out_of_scope_tasks": OUT_OF_SCOPE,
            "open_tasks": OPEN_TASKS, "generate_s": round(time.perf_counter() - began, 1)}


def _deploy_customer_processes(platform) -> int | str:
    """Deploy bpmn/ too, so pages listing processes load what production has; the count, or why not."""
    files = {f.name: f.read_bytes() for f in sorted(BPMN_DIR.iterdir()) if f.suffix in (".bpmn", ".dmn")}
    try:
        with platform.sessions.begin() as session:
            return len(platform.engine.deploy(session, files, "bench"))
    except EngineError as exc:
        return f"not deployed: {exc}"


def _drop_keys_and_indexes(session, table: str) -> list[str]:
    """Drop a table's keys and indexes; return the statements that rebuild them (bulk builds are faster)."""
    constraints = session.execute(text(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = CAST(:t AS regclass) "
        "AND contype IN ('p', 'f') ORDER BY contype DESC"), {"t": table}).all()  # primary key first
    for name, _ in reversed(constraints):
        session.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
    indexes = session.execute(text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = :t"),
                              {"t": table}).all()
    for name, _ in indexes:
        session.execute(text(f'DROP INDEX "{name}"'))
    return [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}' for name, definition in constraints] + [
        definition for _, definition in indexes]


def _owner(n: int, user_id: int, colleagues: list) -> int | None:
    if n <= 1000:
        return user_id
    return colleagues[n % len(colleagues)].id if n <= 4000 else None


_TASKS_SQL = """
INSERT INTO human_task (id, instance_id, process_key, task_name, title, lane, role, assignee, status, priority,
                        customer_id, created_at, due_at, follow_up_at, completed_by, completed_at)
SELECT md5(g::text)::uuid::text, :first + g % :span, 'approval',
       CASE WHEN g % 2 = 0 THEN 'request' ELSE 'review' END,
       CASE WHEN g % 2 = 0 THEN 'Describe request' ELSE 'Review request' END,
       initcap(replace(role, '_', ' ')), role,
       CASE WHEN g <= :queue OR (g > :lanes AND g <= :out_of_scope) THEN NULL
            WHEN g <= :mine THEN :user
            WHEN g <= :open AND g > :out_of_scope AND g % 3 > 0 THEN NULL
            ELSE 'colleague_' || lpad((1 + g % 20)::text, 2, '0') END,
       CASE WHEN g <= :open THEN 'ready' ELSE 'completed' END,
       (ARRAY[30, 50, 50, 50, 80])[1 + g % 5],
       CASE WHEN g > :lanes AND g <= :out_of_scope THEN 1001 + g % 3000  -- colleagues' customers
            WHEN g <= :lanes AND role = 'salesperson' THEN  -- the user's own or unowned customers
                 CASE WHEN g % 2000 < 1000 THEN 1 + g % 2000 ELSE 3001 + g % 2000 END
            ELSE 1 + g % 5000 END,
       created, due, NULL,
       CASE WHEN g > :open THEN 'colleague_' || lpad((1 + g % 20)::text, 2, '0') END,
       CASE WHEN g > :open THEN created + interval '1 day' END
FROM (
    SELECT g,
           CASE WHEN g <= :lanes THEN (CAST(:mine_roles AS text[]))[1 + g % 2]
                WHEN g <= :out_of_scope THEN 'salesperson'
                WHEN g <= :open THEN (CAST(:other_roles AS text[]))[1 + g % cardinality(CAST(:other_roles AS text[]))]
                ELSE (CAST(:all_roles AS text[]))[1 + g % cardinality(CAST(:all_roles AS text[]))] END AS role,
           now() - random() * interval '60 days' AS created,
           CASE WHEN random() < 0.2 THEN NULL ELSE now() + (random() - 0.5) * interval '60 days' END AS due
    FROM generate_series(1, :tasks) g
) rows
ORDER BY random()
"""
