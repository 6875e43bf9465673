"""Complete process tasks through the JSON API as the user of each lane, filling forms from their definitions.

The order and sales drivers share this; each supplies how it generates a text, number or date value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path

from lxml import etree
from sqlalchemy import select

from engine.models import HumanTask, ProcessInstance

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"
LANE_USERS = {
    "salesperson": "sales", "information_officer": "info", "customer_director": "custdir",
    "sales_director": "salesdir", "marketing_director": "mktdir", "finance": "finance",
    "service_agent": "agent", "engineer": "engineer",
}
"""The demo login that works each lane (role key -> username)."""
_USER_TASK = "{http://www.omg.org/spec/BPMN/20100524/MODEL}userTask"

ValueFor = Callable[[dict, object], object]
"""``value_for(field, user)``: a valid JSON value for an API form field, from its definition."""


def bpmn_files(names: Iterable[str]) -> dict[str, bytes]:
    """The named files of ``bpmn/``, ready to deploy."""
    return {name: (BPMN_DIR / name).read_bytes() for name in names}


def user_task_ids(filename: str) -> set[str]:
    """Every user task declared in one of the files of ``bpmn/``."""
    root = etree.parse(str(BPMN_DIR / filename)).getroot()
    return {t.get("id") for t in root.iter(_USER_TASK)}


def as_json(data: dict) -> dict:
    """``data`` with dates and decimals as the JSON API takes them (ISO and decimal strings)."""
    return {k: (v.isoformat() if isinstance(v, dt.date) else str(v) if isinstance(v, Decimal) else v)
            for k, v in data.items()}


def picked_value(field: dict, user) -> object:
    """A value for a boolean, enum, multi-enum or reference field (the first option or lookup result)."""
    kind = field["type"]
    if kind == "boolean":
        return bool(field["required"])
    if kind == "enum":
        return field["options"][0]["value"]
    if kind == "multi_enum":
        return [field["options"][0]["value"]]
    if kind == "reference":
        found = user.get(field["reference"]["lookup_url"]).get_json()
        assert found, f"nothing to pick for {field['id']}"
        return found[0]["id"]
    raise AssertionError(f"cannot generate a {kind} value for {field['id']}")


def fill(form: dict, initial: dict, user, choices: dict, value_for: ValueFor) -> dict:
    """Values for every editable field: the given choices, else the initial value, else one generated."""
    fields = {f["id"]: f for f in form["fields"]}
    for name, value in choices.items():
        assert name in fields and not fields[name]["readonly"], f"{name} is not an editable field of this form"
        options = [o["value"] for o in fields[name]["options"]]
        assert not options or value in options or set(value) <= set(options), f"{value!r} is not an option"
    values = {}
    for field in form["fields"]:
        if field["readonly"]:
            continue
        if field["id"] in choices:
            values[field["id"]] = choices[field["id"]]
        elif initial.get(field["id"]) not in (None, "", [], False):
            values[field["id"]] = initial[field["id"]]
        elif field["required"] or field["type"] != "file":
            values[field["id"]] = value_for(field, user)
    return values


class LaneDesk:
    """One logged-in user per lane; ``do`` completes a ready task as its lane's user through the JSON API.

    ``done`` lists ``(task name, username)`` of every task completed through it, in order.
    """

    def __init__(self, platform, login, value_for: ValueFor):
        self.platform = platform
        self.value_for = value_for
        self._login = login
        self._users: dict[str, object] = {}
        self.done: list[tuple[str, str]] = []

    def user(self, username: str):
        """The logged-in test client of ``username`` (logged in on first use)."""
        if username not in self._users:
            self._users[username] = self._login(username)
        return self._users[username]

    def user_for(self, row: HumanTask):
        """The user who works the task: its assignee, else its lane's user."""
        if row.assignee:
            return self.user(row.assignee)
        assert row.role in LANE_USERS, f"{row.task_name} has no known lane role ({row.role!r})"
        return self.user(LANE_USERS[row.role])

    def ready(self, instance_id: int) -> list[HumanTask]:
        """The instance's ready tasks, oldest first."""
        with self.platform.sessions() as session:
            return list(session.scalars(select(HumanTask).where(
                HumanTask.instance_id == instance_id, HumanTask.status == "ready").order_by(HumanTask.created_at)))

    def ready_names(self, instance_id: int) -> list[str]:
        """The names of the instance's ready tasks, sorted."""
        return sorted(row.task_name for row in self.ready(instance_id))

    def task(self, instance_id: int, name: str) -> HumanTask:
        """The ready task ``name`` of the instance (fails when it is not ready)."""
        rows = [row for row in self.ready(instance_id) if row.task_name == name]
        assert rows, f"{name} is not ready; ready: {self.ready_names(instance_id)}"
        return rows[0]

    def do(self, instance_id: int, name: str, **choices) -> dict:
        """Complete the ready task ``name`` via the JSON API as its lane's user, from its form definition."""
        row = self.task(instance_id, name)
        user = self.user_for(row)
        listed = user.get("/api/tasks").get_json()
        assert row.id in {t["id"] for t in listed["mine"] + listed["queue"]}, f"{name} is not on {user.username}'s list"
        detail = user.get(f"/api/tasks/{row.id}").get_json()
        values = fill(detail["form"], detail["initial"], user, as_json(choices), self.value_for)
        response = user.api("POST", f"/api/tasks/{row.id}/complete", json=values)
        assert response.status_code == 200, (name, response.get_json())
        self.done.append((name, user.username))
        return response.get_json()

    def instance(self, instance_id: int) -> ProcessInstance:
        """The instance row as it is now."""
        with self.platform.sessions() as session:
            return session.get(ProcessInstance, instance_id)

    def data(self, instance_id: int) -> dict:
        """The instance's process data, as the admin API shows it."""
        return self.user("admin").get(f"/api/instances/{instance_id}").get_json()["data"]
