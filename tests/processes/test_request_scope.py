"""The data scope (whose customers' tasks someone sees) is resolved once per request, and a change of
team or manager takes effect on the user's next request."""

from __future__ import annotations

from sqlalchemy import event, select

from crm.accounts.users import User
from crm.customers.models import Customer
from services.processes.scope import owner_scope
from tests.engine.helpers import deploy, ready_tasks, start


def _user(session, username: str) -> User:
    return session.scalar(select(User).where(User.username == username))


def test_scope_is_resolved_once_per_session(platform, actors):
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731  (before_cursor_execute's statement)
    event.listen(platform.db, "before_cursor_execute", listener)
    try:
        with platform.sessions() as session:
            first = owner_scope(session, actors["sales"])
            asked = len(statements)
            again = owner_scope(session, actors["sales"])
            assert len(statements) == asked  # the second question costs no statement
            assert again == first == {_user(session, "sales").id}
        with platform.sessions() as session:  # a new request asks again
            before = len(statements)
            owner_scope(session, actors["sales"])
            assert len(statements) > before
    finally:
        event.remove(platform.db, "before_cursor_execute", listener)


def test_a_new_manager_sees_the_team_tasks_on_the_next_request(platform, actors, login):
    deploy(platform, "approval.bpmn")
    with platform.sessions.begin() as session:
        customer = Customer(company="Scope Shipping", owner_id=_user(session, "sales").id)
        session.add(customer)
        session.flush()
        customer_id = customer.id
    task_id = ready_tasks(platform, start(platform, "approval", actors["sales"], {"customer_id": customer_id}))[0].id
    sales2 = login("sales2")
    assert task_id not in sales2.get("/worklist/?list=queue").get_data(as_text=True)

    with platform.sessions.begin() as session:  # sales now reports to sales2
        _user(session, "sales").manager_id = _user(session, "sales2").id
    try:
        assert task_id in sales2.get("/worklist/?list=queue").get_data(as_text=True)
        assert sales2.get(f"/tasks/{task_id}").status_code == 200
    finally:
        with platform.sessions.begin() as session:
            _user(session, "sales").manager_id = _user(session, "salesdir").id
