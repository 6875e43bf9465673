"""Simulated office people for ``make loadtest`` (started by ``python -m bench.loadtest``, not by hand).

Each person signs in once (the ramp spreads sign-ins as people arrive in the morning), then every
3-10 s does what their role does: reads the worklist, opens a task, completes one through the HTML
form (CSRF token, idempotency key) or the JSON API (bearer token), browses and searches customers,
reads reports, starts a process. A 409 (a colleague completed the task first) and a 422 (the generated
answer did not pass the form's rules) are outcomes, not errors; both are counted. Every request's
time, name and status go to ``LOAD_SAMPLES`` (JSON) when Locust quits, with the CPU seconds Locust itself
used while the test ran (it shares the machine's cores with the servers it measures).

People are ``FastHttpUser``s (geventhttpclient): python-requests' ``HttpUser`` costs the generator several
times the CPU per request, taken from the same cores as the web tier. The behaviour is the same: each person
keeps its cookies, redirects are not followed where a call says so, ``catch_response`` decides the outcome.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import resource
import time

from locust import FastHttpUser, between, events, task

PASSWORD = "demo"
META_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
IDEMPOTENCY = re.compile(r'name="idempotency_key" value="([^"]+)"')
TASK_LINK = re.compile(r'href="/tasks/([0-9a-f-]{36})"')
CUSTOMER_LINK = re.compile(r'href="/customers/(\d+)"')
HTML_TYPES = {"string", "text", "integer", "decimal", "enum", "boolean", "date", "reference"}
EXPECTED = {409: "conflict", 422: "rejected"}
SAMPLES: list[tuple] = []
CPU_AT_START: list[float] = []


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, response=None, **_):
    status = getattr(response, "status_code", 0) or 0
    SAMPLES.append((time.time(), name, round(response_time, 2), exception is not None, status))


def _cpu_seconds() -> float:
    """User + system CPU seconds of this Locust process so far (every greenlet and thread)."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


@events.test_start.add_listener
def _started(**_):
    CPU_AT_START.append(_cpu_seconds())


@events.quitting.add_listener
def _write(**_):
    cpu = _cpu_seconds() - CPU_AT_START[0] if CPU_AT_START else None
    with open(os.environ["LOAD_SAMPLES"], "w") as out:
        json.dump({"samples": SAMPLES, "cpu_s": cpu}, out)


def answer_for(field: dict, initial: dict, customer_ids: list[int]):
    """A value the field's rules accept (the task's initial value when it has one); None: leave it out."""
    kind, value = field["type"], initial.get(field["id"])
    if field["readonly"]:
        return None
    if value not in (None, "", []):
        return value
    if not field["required"] and kind not in ("boolean",):
        return None
    today = dt.date.today()
    if kind in ("string", "text"):
        text = "Load test " * max(1, (field["minlength"] or 0) // 10 + 1)
        return text[: field["maxlength"] or 200].strip()
    if kind in ("integer", "decimal"):
        low = float(field["min"]) if field["min"] is not None else 1
        number = max(low, 1) if field["max"] is None else min(max(low, 1), float(field["max"]))
        return int(number) if kind == "integer" else f"{number:.2f}"
    if kind == "date":
        return today.isoformat()
    if kind == "datetime":
        return f"{today.isoformat()}T10:00:00"
    if kind == "boolean":
        return True
    if kind == "enum":
        return field["options"][0]["value"] if field["options"] else None
    if kind == "multi_enum":
        return [field["options"][0]["value"]] if field["options"] else None
    if kind == "reference" and (field["reference"] or {}).get("kind") == "customer" and customer_ids:
        return random.choice(customer_ids)
    raise LookupError(f"cannot answer {field['id']} ({kind})")


def html_value(value):
    return "y" if value is True else value


def text(answer) -> str:
    """The answer's body ("" when there was none: a connection error, as python-requests gives)."""
    return answer.text or ""


class Person(FastHttpUser):
    """One office person; subclasses say which logins (roles) and what they do how often."""

    abstract = True
    wait_time = between(3, 10)
    logins: tuple[str, ...] = ()

    def on_start(self) -> None:
        self.username = random.choice(self.logins)
        self.task_ids: list[str] = []
        self.customer_ids: list[int] = []
        self.token: str | None = None
        page = self.client.get("/login", name="GET /login")
        csrf = META_CSRF.search(text(page)).group(1)
        with self.client.post("/login", data={"username": self.username, "password": PASSWORD, "csrf_token": csrf},
                              name="POST /login (sign-in)", allow_redirects=False, catch_response=True) as answer:
            if answer.status_code != 302:
                answer.failure(f"sign-in answered {answer.status_code}")

    # -- what people do ------------------------------------------------------------------------------------------
    def worklist(self, which: str = "queue") -> None:
        page = self.client.get(f"/worklist/?list={which}", name=f"GET /worklist/ {which}")
        found = TASK_LINK.findall(text(page))
        if found:
            self.task_ids = found

    def open_task(self) -> None:
        if not self.task_ids:
            return self.worklist()
        self.client.get(f"/tasks/{random.choice(self.task_ids)}", name="GET /tasks/[id]")

    def complete_by_form(self) -> None:
        if not self.task_ids:
            return self.worklist()
        task_id = self.task_ids.pop(random.randrange(len(self.task_ids)))
        page = self.client.get(f"/tasks/{task_id}", name="GET /tasks/[id]")
        detail = self._api_get(f"/api/tasks/{task_id}", "GET /api/tasks/[id]")
        key = IDEMPOTENCY.search(text(page)) if page.ok else None
        if detail is None or key is None or not detail.get("form"):
            return None
        fields = detail["form"]["fields"]
        if any(f["type"] not in HTML_TYPES for f in fields if f["required"] and not f["readonly"]):
            return self._complete_by_api(task_id, detail)
        try:
            values = {f["id"]: answer_for(f, detail["initial"] or {}, self.customer_ids) for f in fields}
        except LookupError:
            return None
        form = {k: html_value(v) for k, v in values.items() if v not in (None, False)}
        form.update(csrf_token=META_CSRF.search(text(page)).group(1), idempotency_key=key.group(1))
        self._expect(self.client.post(f"/tasks/{task_id}", data=form, name="POST /tasks/[id] (form)",
                                      allow_redirects=False, catch_response=True), 302)

    def complete_by_api(self) -> None:
        listed = self._api_get("/api/tasks", "GET /api/tasks")
        if not listed:
            return None
        ids = [t["id"] for t in listed.get("mine", []) + listed.get("queue", [])]
        if not ids:
            return None
        task_id = random.choice(ids)
        detail = self._api_get(f"/api/tasks/{task_id}", "GET /api/tasks/[id]")
        if detail is not None and detail.get("form"):
            self._complete_by_api(task_id, detail)

    def customers(self) -> None:
        page = self.client.get("/customers/", name="GET /customers/")
        self.customer_ids = [int(i) for i in CUSTOMER_LINK.findall(text(page))] or self.customer_ids
        if self.customer_ids:
            self.client.get(f"/customers/{random.choice(self.customer_ids)}", name="GET /customers/[id]")

    def search(self) -> None:
        self.client.get(f"/customers/?q={random.choice(['ship', 'marine', 'co', 'a'])}", name="GET /customers/?q=")

    def reports(self) -> None:
        self.client.get("/reports/", name="GET /reports/")

    def start_process(self, key: str, data: dict) -> None:
        if not self.customer_ids:
            return self.customers()
        body = {**data, "customer_id": random.choice(self.customer_ids)}
        self._expect(self._api("POST", f"/api/processes/{key}/instances", f"POST /api/processes/{key}/instances",
                               json=body), 201)

    # -- helpers ------------------------------------------------------------------------------------------------
    def _complete_by_api(self, task_id: str, detail: dict) -> None:
        try:
            values = {f["id"]: answer_for(f, detail["initial"] or {}, self.customer_ids)
                      for f in detail["form"]["fields"]}
        except LookupError:
            return
        body = {k: v for k, v in values.items() if v is not None}
        self._expect(self._api("POST", f"/api/tasks/{task_id}/complete", "POST /api/tasks/[id]/complete",
                               json=body), 200)

    def _bearer(self) -> str:
        if self.token is None:
            answer = self.client.post("/api/auth/token", json={"username": self.username, "password": PASSWORD},
                                      name="POST /api/auth/token")
            self.token = answer.json()["token"]
        return self.token

    def _api(self, method: str, url: str, name: str, **kwargs):
        return self.client.request(method, url, name=name, catch_response=True,
                                   headers={"Authorization": f"Bearer {self._bearer()}"}, **kwargs)

    def _api_get(self, url: str, name: str) -> dict | None:
        with self._api("GET", url, name) as answer:
            if answer.status_code in (403, 404):  # gone from the lane or completed meanwhile
                answer.success()
                return None
            return answer.json() if answer.status_code == 200 else None

    @staticmethod
    def _expect(answer, status: int) -> None:
        with answer:
            if answer.status_code == status or answer.status_code in EXPECTED:
                answer.success()
            else:
                answer.failure(f"{answer.status_code}: {text(answer)[:200]}")


class Salesperson(Person):
    weight = 6
    logins = ("sales", "sales2")

    @task(4)
    def read_worklist(self):
        self.worklist("queue" if random.random() < 0.7 else "mine")

    @task(3)
    def look_at_a_task(self):
        self.open_task()

    @task(2)
    def complete_a_task_in_the_browser(self):
        self.complete_by_form()

    @task(1)
    def complete_a_task_by_api(self):
        self.complete_by_api()

    @task(3)
    def browse_customers(self):
        self.customers()

    @task(1)
    def search_customers(self):
        self.search()

    @task(1)
    def read_reports(self):
        self.reports()

    @task(1)
    def start_relationship_maintenance(self):
        self.start_process("relationship_maintenance", {"customer_info": "Load test: met at a fair"})


class Director(Person):
    weight = 3
    logins = ("salesdir", "custdir", "mktdir")

    @task(3)
    def read_worklist(self):
        self.worklist()

    @task(2)
    def look_at_a_task(self):
        self.open_task()

    @task(2)
    def approve_by_api(self):
        self.complete_by_api()

    @task(1)
    def approve_in_the_browser(self):
        self.complete_by_form()

    @task(2)
    def read_reports(self):
        self.reports()

    @task(1)
    def browse_customers(self):
        self.customers()


class BackOffice(Person):
    weight = 2
    logins = ("agent", "agent", "engineer", "finance", "info")

    @task(3)
    def read_worklist(self):
        self.worklist()

    @task(2)
    def look_at_a_task(self):
        self.open_task()

    @task(1)
    def complete_a_task_in_the_browser(self):
        self.complete_by_form()

    @task(1)
    def complete_a_task_by_api(self):
        self.complete_by_api()

    @task(1)
    def service_desk(self):
        if self.username == "agent":  # the service desk's pages are the agent's
            self.client.get("/service/", name="GET /service/")
        else:
            self.reports()

    @task(1)
    def take_a_service_call(self):
        if self.username == "agent":
            self.start_process("service_request", {"channel": "phone", "request_type": "repair",
                                           "description": "Load test: engine alarm", "product_code": "ENG-2000"})
        else:
            self.customers()
