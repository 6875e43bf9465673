"""Drive the sales processes over HTTP as the users of each lane, filling forms from their definitions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from lxml import etree
from sqlalchemy import select

from engine.models import HumanTask, ProcessInstance
from tests.support.timers import make_timers_due

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"
SALES_FILES = (
    "expense_reimbursement.bpmn", "relationship_maintenance.bpmn", "customer_visit.bpmn",
    "customer_reception.bpmn", "bidding.bpmn", "customer_grading.dmn", "approval_authority.dmn",
)
ROLE_USERS = {
    "salesperson": "sales", "information_officer": "info", "customer_director": "custdir",
    "sales_director": "salesdir", "marketing_director": "mktdir", "finance": "finance", "engineer": "engineer",
}
BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"


def sales_files(**replaced: bytes) -> dict[str, bytes]:
    """The sales BPMN/DMN files (optionally with some replaced by changed versions)."""
    return {name: replaced.get(name) or (BPMN_DIR / name).read_bytes() for name in SALES_FILES}


def user_task_ids(filename: str) -> set[str]:
    """Every user task declared in one of the sales BPMN files."""
    root = etree.parse(str(BPMN_DIR / filename)).getroot()
    return {t.get("id") for t in root.iter(f"{BPMN}userTask")}


def value_for(field: dict, user) -> object:
    """A valid JSON value for ``field`` chosen from its definition alone (type, options, bounds)."""
    kind, low, high = field["type"], field["min"], field["max"]
    assert not field["pattern"], "patterns are not generated"
    if kind in ("string", "text"):
        text = "Filled in from the form definition" if kind == "text" else "Generated value"
        text = text.ljust(field["minlength"] or 0, ".")
        return text[: field["maxlength"]] if field["maxlength"] else text
    if kind == "integer":
        return low if low is not None else min(1, high) if high is not None else 1
    if kind == "decimal":
        value = Decimal(low) + 100 if low is not None else Decimal(100)
        return str(min(value, Decimal(high)) if high is not None else value)
    if kind == "date":
        value = dt.date.today().isoformat()
        return max(value, low) if low else value
    if kind == "datetime":
        return (dt.datetime.now().replace(microsecond=0) + dt.timedelta(days=7)).isoformat(timespec="minutes")
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


class Team:
    """One logged-in user per lane; ``do`` completes a task as the user of its lane."""

    def __init__(self, platform, login):
        self.platform = platform
        self._login = login
        self._users: dict[str, object] = {}
        self.done: list[tuple[str, str]] = []

    def user(self, username: str):
        if username not in self._users:
            self._users[username] = self._login(username)
        return self._users[username]

    def start(self, key: str, username: str, **data) -> int:
        """Start ``key`` through the API as ``username`` with start-form values ``data``."""
        response = self.user(username).api("POST", f"/api/processes/{key}/instances", json=_json(data))
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]

    def ready(self, instance_id: int) -> list[HumanTask]:
        with self.platform.sessions() as session:
            return list(session.scalars(select(HumanTask).where(
                HumanTask.instance_id == instance_id, HumanTask.status == "ready").order_by(HumanTask.created_at)))

    def task(self, instance_id: int, name: str) -> HumanTask:
        rows = [row for row in self.ready(instance_id) if row.task_name == name]
        assert rows, f"{name} is not ready; ready: {[r.task_name for r in self.ready(instance_id)]}"
        return rows[0]

    def user_for(self, row: HumanTask):
        assert row.role in ROLE_USERS, f"{row.task_name} has no known lane role ({row.role!r})"
        return self.user(ROLE_USERS[row.role])

    def do(self, instance_id: int, name: str, **choices) -> dict:
        """Complete the ready task ``name`` via the JSON API as its lane's user, from its form definition."""
        row = self.task(instance_id, name)
        user = self.user_for(row)
        listed = user.get("/api/tasks").get_json()
        assert row.id in {t["id"] for t in listed["mine"] + listed["queue"]}, f"{name} is not on {user.username}'s list"
        detail = user.get(f"/api/tasks/{row.id}").get_json()
        values = fill(detail["form"], detail["initial"], user, _json(choices))
        response = user.api("POST", f"/api/tasks/{row.id}/complete", json=values)
        assert response.status_code == 200, (name, response.get_json())
        self.done.append((name, user.username))
        return response.get_json()

    def do_html(self, instance_id: int, name: str, **fields) -> None:
        """Complete the task through its HTML page, submitting ``fields`` as a browser would."""
        row = self.task(instance_id, name)
        user = self.user_for(row)
        assert user.get(f"/tasks/{row.id}").status_code == 200
        data = {k: ("on" if v is True else v) for k, v in _json(fields).items() if v is not False}
        response = user.post(f"/tasks/{row.id}", data=data)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        assert self.task_status(row.id) == "completed"
        self.done.append((name, user.username))

    def task_status(self, task_id: str) -> str:
        with self.platform.sessions() as session:
            return session.get(HumanTask, task_id).status

    def instance(self, instance_id: int) -> ProcessInstance:
        with self.platform.sessions() as session:
            return session.get(ProcessInstance, instance_id)

    def data(self, instance_id: int) -> dict:
        return self.user("admin").get(f"/api/instances/{instance_id}").get_json()["data"]


def make_timer_due(platform, instance_id: int, event_name: str) -> None:
    """Move one waiting timer (by its BPMN id) into the past, as if its time had come."""
    make_timers_due(platform, instance_id, event_name)


def _json(data: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.date) else str(v) if isinstance(v, Decimal) else v)
            for k, v in data.items()}


def start_from_form(team: Team, key: str, username: str, **choices) -> int:
    """Start ``key`` with values generated from its start form definition (``choices`` pick branches)."""
    user = team.user(username)
    [process] = [p for p in user.get("/api/processes").get_json() if p["key"] == key]
    return team.start(key, username, **fill(process["start_form"], {}, user, _json(choices)))


def walk(team: Team, instance_id: int, choices: dict[str, list[dict]], before: dict | None = None,
         max_steps: int = 80) -> list[str]:
    """Complete whatever is ready until the instance ends; returns the task names in order.

    ``choices[name]`` is consumed one dict per completion of ``name`` (then the form's own values rule);
    ``before[name]`` is called once, just before ``name`` would first be completed (e.g. to fire a timer).
    """
    queued = {name: list(items) for name, items in choices.items()}
    hooks = dict(before or {})
    names = []
    for _ in range(max_steps):
        ready = team.ready(instance_id)
        if not ready:
            return names
        name = ready[0].task_name
        if name in hooks:
            hooks.pop(name)()
            continue
        pending = queued.get(name) or [{}]
        team.do(instance_id, name, **pending.pop(0))
        names.append(name)
    raise AssertionError(f"instance {instance_id} did not finish in {max_steps} steps: {names}")
