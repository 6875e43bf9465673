"""Simulated office people for ``make loadtest`` (started by ``python -m bench.loadtest``, not by hand).

Each person signs in once (the ramp spreads sign-ins as people arrive in the morning), then every
3-10 s does what their role does: reads the worklist, opens a task, completes one through the HTML
form (CSRF token, idempotency key) or the JSON API (bearer token), browses and searches customers,
reads reports, starts one of the processes their lanes may start; forms are answered as
:mod:`bench.loadtest.answers` says. A 409 (a colleague completed the task first) and a 422 (the form refused
the answer) are outcomes, not errors; both are counted. Every request's time, name and status go to
``LOAD_SAMPLES`` (JSON) when Locust quits, with the CPU seconds Locust itself used while the test ran (it shares
the machine's cores with the servers it measures), each 422's reasons, and how often people looking for a task
to complete found none.

People are ``FastHttpUser``s (geventhttpclient): python-requests' ``HttpUser`` costs the generator several
times the CPU per request, taken from the same cores as the web tier. The behaviour is the same: each person
keeps its cookies, redirects are not followed where a call says so, ``catch_response`` decides the outcome.
"""

from __future__ import annotations

import html
import json
import os
import random
import re
import resource
import time
from collections import defaultdict

from locust import FastHttpUser, between, events, task

from bench.loadtest.answers import CannotAnswer, as_html_form, as_json, fill, html_form_fits

PASSWORD = "demo"
META_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
IDEMPOTENCY = re.compile(r'name="idempotency_key" value="([^"]+)"')
TASK_LINK = re.compile(r'href="/tasks/([0-9a-f-]{36})"')
CUSTOMER_LINK = re.compile(r'href="/customers/(\d+)"')
FIELD_ERROR = re.compile(r'id="(\w+)-feedback">(.*?)</div>', re.S)
RULE_ERRORS = re.compile(r'id="rule-errors">((?:<div>.*?</div>)*)', re.S)
EXPECTED = {409: "conflict", 422: "rejected"}
SAMPLES: list[tuple] = []
WORK_SOUGHT: dict[str, list[int]] = defaultdict(lambda: [0, 0])
"""Per login: [times a person went to complete a task and found one, times their lists were empty]."""
REFUSALS: list[tuple] = []
"""(what was submitted: ``process/task``, {field: [messages]}) of every 422."""
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
        json.dump({"samples": SAMPLES, "cpu_s": cpu, "refusals": REFUSALS, "work_sought": WORK_SOUGHT}, out)


def text(answer) -> str:
    """The answer's body ("" when there was none: a connection error, as python-requests gives)."""
    return answer.text or ""


def _about(detail: dict) -> str:
    """``process/task`` of a task as the API describes it."""
    return f"{detail['process']}/{detail['name']}"


def _reasons(body: str) -> dict[str, list[str]]:
    """Why a submission was refused, by field: the API's ``fields``, or the messages the HTML page shows."""
    if body.lstrip().startswith("{"):
        return json.loads(body).get("fields") or {}
    reasons = {field: [html.unescape(m.strip()) for m in messages.split("<br>")]
               for field, messages in FIELD_ERROR.findall(body)}
    for block in RULE_ERRORS.findall(body):
        reasons.setdefault("__all__", []).extend(html.unescape(m) for m in re.findall(r"<div>(.*?)</div>", block))
    return reasons


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
        self.startable: list[dict] | None = None
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
            self.worklist()
            return self._looked_for_work(found=bool(self.task_ids))
        self._looked_for_work(found=True)
        task_id = self.task_ids.pop(random.randrange(len(self.task_ids)))
        page = self.client.get(f"/tasks/{task_id}", name="GET /tasks/[id]")
        detail = self._api_get(f"/api/tasks/{task_id}", "GET /api/tasks/[id]")
        key = IDEMPOTENCY.search(text(page)) if page.ok else None
        if detail is None or key is None or not detail.get("form"):
            return None
        answers = self._answers(detail)
        if answers is None:
            return None
        if not html_form_fits(detail["form"]["fields"], answers):  # a date-time or several choices: the API
            return self._send_completion(task_id, detail, answers)
        form = {**as_html_form(answers), "csrf_token": META_CSRF.search(text(page)).group(1),
                "idempotency_key": key.group(1)}
        self._expect(self.client.post(f"/tasks/{task_id}", data=form, name="POST /tasks/[id] (form)",
                                      allow_redirects=False, catch_response=True), 302, _about(detail))

    def complete_by_api(self) -> None:
        listed = self._api_get("/api/tasks", "GET /api/tasks")
        if not listed:
            return None
        ids = [t["id"] for t in listed.get("mine", []) + listed.get("queue", [])]
        self._looked_for_work(found=bool(ids))
        if not ids:
            return None
        task_id = random.choice(ids)
        detail = self._api_get(f"/api/tasks/{task_id}", "GET /api/tasks/[id]")
        if detail is not None and detail.get("form"):
            answers = self._answers(detail)
            if answers is not None:
                self._send_completion(task_id, detail, answers)

    def customers(self) -> None:
        page = self.client.get("/customers/", name="GET /customers/")
        self.customer_ids = [int(i) for i in CUSTOMER_LINK.findall(text(page))] or self.customer_ids
        if self.customer_ids:
            self.client.get(f"/customers/{random.choice(self.customer_ids)}", name="GET /customers/[id]")

    def search(self) -> None:
        self.client.get(f"/customers/?q={random.choice(['ship', 'marine', 'co', 'a'])}", name="GET /customers/?q=")

    def reports(self) -> None:
        self.client.get("/reports/", name="GET /reports/")

    def start_one_of_mine(self) -> bool:
        """Start one of the processes this person may start, its start form answered; False: none to start."""
        if not self.customer_ids:
            self.customers()
            return True
        if self.startable is None:
            self.startable = self._api_get("/api/processes", "GET /api/processes") or []
        if not self.startable:
            return False
        process = random.choice(self.startable)
        fields = (process["start_form"] or {}).get("fields", [])
        defaults = {field["id"]: field["default"] for field in fields}
        try:
            answers = fill(fields, defaults, {}, [], self._pick)
        except CannotAnswer:  # e.g. no draft contract to approve: nothing to start today
            return True
        key = process["key"]
        self._expect(self._api("POST", f"/api/processes/{key}/instances", f"POST /api/processes/{key}/instances",
                               json=as_json(answers)), 201, f"{key}/start")
        return True

    # -- helpers ------------------------------------------------------------------------------------------------
    def _looked_for_work(self, found: bool) -> None:
        WORK_SOUGHT[self.username][0 if found else 1] += 1

    def _answers(self, detail: dict) -> dict | None:
        """The task's form answered from what the API says of it; None when a required field cannot be."""
        try:
            return fill(detail["form"]["fields"], detail["initial"] or {}, detail["data"] or {},
                        detail.get("rules") or [], self._pick)
        except CannotAnswer:
            return None

    def _send_completion(self, task_id: str, detail: dict, answers: dict) -> None:
        self._expect(self._api("POST", f"/api/tasks/{task_id}/complete", "POST /api/tasks/[id]/complete",
                               json=as_json(answers)), 200, _about(detail))

    def _pick(self, kind: str) -> int | None:
        """A record for a reference field, as the page's picker offers them (customers: those seen in the list)."""
        if kind == "customer" and self.customer_ids:
            return random.choice(self.customer_ids)
        found = self._api_get(f"/api/lookup/{kind}", "GET /api/lookup/[kind]")
        return random.choice(found)["id"] if found else None

    def _bearer(self) -> str:
        if self.token is None:
            answer = self.client.post("/api/auth/token", json={"username": self.username, "password": PASSWORD},
                                      name="POST /api/auth/token")
            self.token = answer.json()["token"]
        return self.token

    def _api(self, method: str, url: str, name: str, **kwargs):
        return self.client.request(method, url, name=name, catch_response=True,
                                   headers={"Authorization": f"Bearer {self._bearer()}"}, **kwargs)

    def _api_get(self, url: str, name: str) -> dict | list | None:
        with self._api("GET", url, name) as answer:
            if answer.status_code in (403, 404):  # gone from the lane or completed meanwhile
                answer.success()
                return None
            return answer.json() if answer.status_code == 200 else None

    @staticmethod
    def _expect(answer, status: int, about: str) -> None:
        """``status`` or an expected outcome (409, 422) is a success; a 422's reasons are kept for the summary."""
        with answer:
            if answer.status_code == 422:
                REFUSALS.append((about, _reasons(text(answer))))
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
    def start_a_process(self):  # relationship maintenance, a visit, a bid, an expense claim…
        self.start_one_of_mine()


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
    def start_a_process(self):  # a service call (agent), a payment collection (finance), a reception (info)
        if not self.start_one_of_mine():
            self.customers()
