"""Drive the order and service processes over HTTP, filling every form from its definition alone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from lxml import etree
from sqlalchemy import select

from engine.models import HumanTask, ProcessInstance
from tests.support.timers import make_timers_due

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"
ORDER_FILES = ("contract_approval.bpmn", "contract_approval_route.dmn", "payment_collection.bpmn",
               "service_request.bpmn")
ROLE_USERS = {"salesperson": "sales", "customer_director": "custdir", "sales_director": "salesdir",
              "finance": "finance", "service_agent": "agent", "engineer": "engineer"}


def order_files() -> dict[str, bytes]:
    return {name: (BPMN_DIR / name).read_bytes() for name in ORDER_FILES}


def user_task_ids(filename: str) -> set[str]:
    root = etree.parse(str(BPMN_DIR / filename)).getroot()
    return {t.get("id") for t in root.iter("{http://www.omg.org/spec/BPMN/20100524/MODEL}userTask")}


def next_monday(at: dt.time = dt.time(10, 0)) -> dt.datetime:
    """A working-hours slot in the future: next Monday at ``at``."""
    today = dt.date.today()
    return dt.datetime.combine(today + dt.timedelta(days=7 - today.weekday()), at)


def value_for(field: dict, user) -> object:
    """A valid JSON value for ``field`` from its definition: type, options, bounds, reference kind."""
    kind, low, high = field["type"], field["min"], field["max"]
    if kind in ("string", "text"):
        return "Filled in from the form definition"
    if kind == "integer":
        return low if low is not None else 1
    if kind == "decimal":
        value = Decimal(low) + 1 if low is not None else Decimal(1)
        return str(min(value, Decimal(high)) if high is not None else value)
    if kind == "date":
        return dt.date.today().isoformat()
    if kind == "datetime":
        return next_monday().isoformat(timespec="minutes")
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


def fill(form: dict, initial: dict, user, choices: dict) -> dict:
    """Values for every editable field: the given choices, else the initial value, else one generated."""
    fields = {f["id"]: f for f in form["fields"]}
    for name in choices:
        assert name in fields and not fields[name]["readonly"], f"{name} is not an editable field of this form"
    values = {}
    for field in form["fields"]:
        if field["readonly"]:
            continue
        if field["id"] in choices:
            values[field["id"]] = choices[field["id"]]
        elif initial.get(field["id"]) not in (None, "", []):
            values[field["id"]] = initial[field["id"]]
        else:
            values[field["id"]] = value_for(field, user)
    return values


def as_json(data: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.date) else str(v) if isinstance(v, Decimal) else v)
            for k, v in data.items()}


class Desk:
    """One logged-in user per lane; ``do`` completes a ready task as its lane's user through the JSON API."""

    def __init__(self, platform, login):
        self.platform = platform
        self._login = login
        self._users: dict[str, object] = {}
        self.done: set[str] = set()

    def user(self, username: str):
        if username not in self._users:
            self._users[username] = self._login(username)
        return self._users[username]

    def ready(self, instance_id: int) -> list[HumanTask]:
        with self.platform.sessions() as session:
            return list(session.scalars(select(HumanTask).where(
                HumanTask.instance_id == instance_id, HumanTask.status == "ready").order_by(HumanTask.created_at)))

    def ready_names(self, instance_id: int) -> list[str]:
        return sorted(row.task_name for row in self.ready(instance_id))

    def task(self, instance_id: int, name: str) -> HumanTask:
        rows = [row for row in self.ready(instance_id) if row.task_name == name]
        assert rows, f"{name} is not ready; ready: {self.ready_names(instance_id)}"
        return rows[0]

    def do(self, instance_id: int, name: str, **choices) -> dict:
        """Complete the ready task ``name`` as the user of its lane, from its form definition."""
        row = self.task(instance_id, name)
        user = self.user(ROLE_USERS[row.role])
        listed = user.get("/api/tasks").get_json()
        assert row.id in {t["id"] for t in listed["mine"] + listed["queue"]}, f"{name} is not listed for {user}"
        detail = user.get(f"/api/tasks/{row.id}").get_json()
        values = fill(detail["form"], detail["initial"], user, as_json(choices))
        response = user.api("POST", f"/api/tasks/{row.id}/complete", json=values)
        assert response.status_code == 200, (name, response.get_json())
        self.done.add(name)
        return response.get_json()

    def instance(self, instance_id: int) -> ProcessInstance:
        with self.platform.sessions() as session:
            return session.get(ProcessInstance, instance_id)

    def data(self, instance_id: int) -> dict:
        return self.user("admin").get(f"/api/instances/{instance_id}").get_json()["data"]


def make_timer_due(platform, instance_id: int, event_id: str) -> None:
    """Move one waiting timer (by its BPMN id) into the past, as if its time had come."""
    make_timers_due(platform, instance_id, event_id)


def location_id(response) -> int:
    """The record id at the end of a redirect's Location (``/contracts/7`` -> 7)."""
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])


def flashes(user) -> str:
    """The page the user lands on next, as text (it shows the flashed messages)."""
    return user.get("/worklist/").get_data(as_text=True)
