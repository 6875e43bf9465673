"""Riders: a listener's per-transaction question answered by the step's own write (no statement of its own)."""

from sqlalchemy import bindparam, func, select

from crm.accounts.users import user_roles
from engine.riders import Rider
from tests.engine.helpers import deploy, ready_tasks, start
from tests.support.statements import statements


def test_a_rider_is_answered_by_the_steps_write_before_the_task_listeners_hear(platform, actors):
    deploy(platform, "approval.bpmn")
    instance_id = start(platform, "approval", actors["sales"])
    [task] = ready_tasks(platform, instance_id)
    holders = (select(func.count()).select_from(user_roles)
               .where(user_roles.c.role_key.in_(bindparam("rider_roles", expanding=True)))
               .scalar_subquery().label("lane_holders"))
    heard: list[tuple] = []
    rider = Rider(holders, lambda session, answer, rows: heard.append(("rider", answer, [r.role for r in rows])),
                  lambda rows: {"rider_roles": [row.role for row in rows]})
    platform.engine.riders.append(rider)
    platform.engine.task_listeners.append(lambda session, row: heard.append(("listener", row.role)))
    with statements(platform) as seen, platform.sessions() as session:
        platform.engine.complete(session, task.id, {"amount": 10, "reason": "x"}, actors["sales"])
        session.commit()
    [new] = ready_tasks(platform, instance_id)
    with platform.sessions() as session:
        expected = session.scalar(select(func.count()).select_from(user_roles).where(user_roles.c.role_key == new.role))
    assert expected > 0
    assert heard[0] == ("rider", expected, [new.role]) and ("listener", new.role) in heard[1:]
    asked = [s for s in seen if "lane_holders" in s]
    assert len(asked) == 1 and "UPDATE process_instance" in asked[0] and "RETURNING" in asked[0]
