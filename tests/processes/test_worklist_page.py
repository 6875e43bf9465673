"""The worklist and task pages: due marks, priority, hand-over, follow-up, saved filters, comments, context,
conflicts; and the users page."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
import uuid
from html.parser import HTMLParser

import pytest
from sqlalchemy import event, insert, select

from crm.accounts.users import Team, User
from crm.notifications.messages import Notification
from crm.processes.worklist import SavedFilter
from engine.errors import Conflict
from engine.models import HumanTask, ProcessInstance, ProcessVersion, utcnow
from services.processes.worklist import COUNT_CAP
from tests.processes.task_helpers import VALID_HTML, add_customer, deploy, ready_task, start, update_task, user_id


@pytest.fixture
def fill_task(platform, actors, tmp_uploads):
    deploy(platform)
    return ready_task(platform, start(platform, actors["sales"]))


def _row(page: str, task_id: str) -> str:
    match = re.search(rf'<tr class="([^"]*)" data-task-id="{task_id}">(.*?)</tr>', page, re.S)
    assert match, f"task {task_id} is not listed"
    return match.group(1) + match.group(2)


def test_overdue_and_due_soon_tasks_are_marked(platform, actors, login, fill_task):
    soon = ready_task(platform, start(platform, actors["sales"]))
    later = ready_task(platform, start(platform, actors["sales"]))
    update_task(platform, fill_task.id, due_at=utcnow() - dt.timedelta(hours=1))
    update_task(platform, soon.id, due_at=utcnow() + dt.timedelta(hours=3))
    update_task(platform, later.id, due_at=utcnow() + dt.timedelta(days=3))
    sales = login("sales")
    page = sales.get("/worklist/?list=queue").get_data(as_text=True)
    assert "table-danger" in _row(page, fill_task.id) and "crm-status-overdue" in _row(page, fill_task.id)
    assert "table-warning" in _row(page, soon.id) and "crm-status-due_soon" in _row(page, soon.id)
    assert "table-" not in _row(page, later.id).split(">")[0] and "crm-status" not in _row(page, later.id)
    assert page.index(fill_task.id) < page.index(soon.id) < page.index(later.id)  # sorted by due date
    states = {t["id"]: t["due_state"] for t in sales.get("/api/tasks").json["queue"]}
    assert states == {fill_task.id: "overdue", soon.id: "due_soon", later.id: ""}
    overdue_only = sales.get("/worklist/?list=queue&overdue=1").get_data(as_text=True)
    assert fill_task.id in overdue_only and soon.id not in overdue_only


def test_priority_is_shown_and_sortable(platform, actors, login, fill_task):
    low = ready_task(platform, start(platform, actors["sales"]))
    update_task(platform, low.id, priority=10)
    page = login("sales").get("/worklist/?list=queue&sort=priority").get_data(as_text=True)
    assert "bi-arrow-up" in _row(page, fill_task.id) and 'title="Priority 80"' in _row(page, fill_task.id)
    assert "bi-arrow-down" in _row(page, low.id)
    assert page.index(fill_task.id) < page.index(low.id)
    assert "High priority (80)" in login("sales").get(f"/tasks/{fill_task.id}").get_data(as_text=True)


def test_search_finds_tasks_by_title_or_instance(platform, login, fill_task):
    sales = login("sales")
    assert fill_task.id in sales.get("/worklist/?list=queue&q=every+field").get_data(as_text=True)
    assert fill_task.id in sales.get(f"/worklist/?list=queue&q=%23{fill_task.instance_id}").get_data(as_text=True)
    assert fill_task.id not in sales.get("/worklist/?list=queue&q=nothing+like+it").get_data(as_text=True)


def test_hand_over_to_a_colleague_of_the_same_role(platform, login, fill_task):
    sales = login("sales")
    page = sales.get("/worklist/?list=queue").get_data(as_text=True)
    handover = _row(page, fill_task.id)
    assert '<option value="sales2">Sue Sales</option>' in handover
    assert 'value="finance"' not in handover and 'value="sales"' not in handover
    response = sales.post(f"/tasks/{fill_task.id}/handover",
                          data={"assignee": "sales2", "next": "/worklist/?list=queue"})
    assert response.status_code == 302 and response.headers["Location"] == "/worklist/?list=queue"
    assert "handed over to sales2" in sales.get("/worklist/").get_data(as_text=True)
    assert ready_task(platform, fill_task.instance_id).assignee == "sales2"
    assert fill_task.id in login("sales2").get("/worklist/?list=mine").get_data(as_text=True)
    with platform.sessions() as session:
        note = session.scalar(select(Notification).where(Notification.user_id == user_id(platform, "sales2"))
                              .order_by(Notification.id.desc()))
    assert note.subject == "New task: Fill in every field" and "is assigned to you" in note.body
    refused = sales.post(f"/tasks/{fill_task.id}/handover", data={"assignee": "finance"})
    assert refused.status_code == 404  # sales2 holds it now: a task about no customer is its assignee's
    evil = login("sales2").post(f"/tasks/{fill_task.id}/handover", data={"assignee": "sales", "next": "https://x.example"})
    assert evil.headers["Location"] == "/worklist/"


def test_follow_up_date_is_set_shown_sorted_and_cleared(platform, actors, login, fill_task):
    other = ready_task(platform, start(platform, actors["sales"]))
    sales = login("sales")
    assert sales.post(f"/tasks/{fill_task.id}/follow-up", data={"follow_up": "2031-02-03"}).status_code == 302
    assert sales.post(f"/tasks/{other.id}/follow-up", data={"follow_up": "2030-01-01"}).status_code == 302
    assert ready_task(platform, fill_task.instance_id).follow_up_at == dt.datetime(2031, 2, 3)
    page = sales.get(f"/tasks/{fill_task.id}").get_data(as_text=True)
    assert "Follow-up set to 2031-02-03." in page and 'value="2031-02-03"' in page
    listing = sales.get("/worklist/?list=queue&sort=follow_up").get_data(as_text=True)
    assert "3 Feb 2031" in _row(listing, fill_task.id) and listing.index(other.id) < listing.index(fill_task.id)
    assert sales.get("/api/tasks").json["queue"][0]["follow_up_at"] is not None
    assert "Enter the follow-up date" in sales.post(f"/tasks/{fill_task.id}/follow-up", data={
        "follow_up": "soon"}, follow_redirects=True).get_data(as_text=True)
    sales.post(f"/tasks/{fill_task.id}/follow-up", data={"clear": "1"})
    assert ready_task(platform, fill_task.instance_id).follow_up_at is None
    history = sales.get(f"/api/instances/{fill_task.instance_id}").json["history"]
    assert [h["message"] for h in history if h["kind"] == "follow_up_set"] == ["follow-up 2031-02-03",
                                                                              "follow-up cleared"]


def test_saved_filters_are_private_or_shared_with_the_team(platform, login, fill_task):
    sales = login("sales")
    saved = sales.post("/worklist/filters", data={"name": "Urgent quotes", "list": "queue", "process": "all_fields",
                                                  "min_priority": "70", "shared": "on"})
    assert saved.status_code == 302 and "min_priority=70" in saved.headers["Location"]
    sales.post("/worklist/filters", data={"name": "Just mine", "list": "mine", "sort": "created"})
    page = sales.get("/worklist/").get_data(as_text=True)
    assert "Urgent quotes" in page and "Just mine" in page
    link = re.search(r'href="([^"]+)"[^>]*>\s*Urgent quotes', page).group(1).replace("&amp;", "&")
    assert fill_task.id in sales.get(link).get_data(as_text=True)
    teammate = login("sales2").get("/worklist/").get_data(as_text=True)  # same team ("Sales")
    assert "Urgent quotes" in teammate and "Just mine" not in teammate and "Shared by Sam Sales" in teammate
    assert "Urgent quotes" not in login("custdir").get("/worklist/").get_data(as_text=True)
    with platform.sessions() as session:
        shared_id = session.scalar(select(SavedFilter.id).where(SavedFilter.name == "Urgent quotes"))
    refused = login("sales2").post(f"/worklist/filters/{shared_id}/delete", follow_redirects=True)
    assert "Only its owner can delete a filter." in refused.get_data(as_text=True)
    sales.post(f"/worklist/filters/{shared_id}/delete")
    assert "Urgent quotes" not in sales.get("/worklist/").get_data(as_text=True)
    assert "Give the filter a name." in sales.post("/worklist/filters", data={"name": " "},
                                                   follow_redirects=True).get_data(as_text=True)


def _queue_more(platform, instance_id: int, n: int) -> None:
    """Bulk-insert ``n`` ready, unassigned salesperson tasks on a real instance, due before its own task."""
    soon = utcnow() + dt.timedelta(hours=1)
    with platform.sessions.begin() as session:
        session.execute(insert(HumanTask), [
            {"id": str(uuid.uuid4()), "instance_id": instance_id, "process_key": "all_fields", "task_name": "fill",
             "title": f"Bulk task {i:04}", "lane": "Salesperson", "role": "salesperson", "status": "ready",
             "due_at": soon + dt.timedelta(minutes=i)} for i in range(n)
        ])


def _badge(page: str, which: str) -> str:
    return re.search(rf'data-count="{which}"[^>]*>([^<]*)<', page).group(1)


def _listed(page: str) -> list[str]:
    return re.findall(r'data-task-id="([^"]+)"', page)


def test_a_queue_of_exactly_the_cap_is_counted_exactly(platform, login, fill_task):
    _queue_more(platform, fill_task.instance_id, COUNT_CAP - 1)
    sales = login("sales")
    page = sales.get("/worklist/?list=queue").get_data(as_text=True)
    assert (_badge(page, "queue"), _badge(page, "mine")) == ("1,000", "0")
    assert "list=queue&amp;page=40&amp;" in page and 'data-pages="lower-bound"' not in page
    last = sales.get("/worklist/?list=queue&page=40").get_data(as_text=True)
    assert _listed(last)[-1] == fill_task.id and 'rel="next"' not in last
    listed = sales.get("/api/tasks").json
    assert listed["counts"] == {"mine": 0, "queue": 1000}
    assert listed["counts_are_lower_bounds"] == {"mine": False, "queue": False}
    assert listed["has_next"] == {"mine": False, "queue": True}


def test_past_the_cap_the_queue_shows_1000_plus_and_pages_on(platform, login, fill_task):
    _queue_more(platform, fill_task.instance_id, COUNT_CAP)  # 1,001 queued with the real task
    sales = login("sales")
    first = sales.get("/worklist/?list=queue").get_data(as_text=True)
    assert (_badge(first, "queue"), _badge(first, "mine")) == ("1,000+", "0")
    assert "Page 1 of 41+" in first and re.search(r'href="[^"]*page=2&amp;[^"]*" rel="next"', first)
    assert "page=41" not in first  # no last page number: the total is not known
    second = sales.get("/worklist/?list=queue&page=2").get_data(as_text=True)
    assert len(_listed(second)) == 25 and not set(_listed(second)) & set(_listed(first))
    assert "Page 2 of 41+" in second and 'rel="prev"' in second and 'rel="next"' in second
    last = sales.get("/worklist/?list=queue&page=41").get_data(as_text=True)
    assert _listed(last) == [fill_task.id] and 'rel="next"' not in last and "41+" not in last
    assert _badge(last, "queue") == "1,000+"
    listed = sales.get("/api/tasks").json
    assert listed["counts"] == {"mine": 0, "queue": COUNT_CAP}
    assert listed["counts_are_lower_bounds"] == {"mine": False, "queue": True}
    assert sales.get("/api/tasks?page=41").json["has_next"] == {"mine": False, "queue": False}
    documented = sales.get("/api/openapi.json").json["components"]["schemas"]["TaskList"]["required"]
    assert {"counts", "counts_are_lower_bounds", "has_next"} <= set(documented)
    sales.post(f"/worklist/{fill_task.id}/claim")
    claimed = sales.get("/worklist/?list=queue").get_data(as_text=True)
    assert (_badge(claimed, "queue"), _badge(claimed, "mine")) == ("1,000", "1")


def test_the_worklist_page_loads_the_user_and_roles_once(platform, login, fill_task):
    statements: list[str] = []
    request_thread = threading.get_ident()

    def record(conn, cursor, statement, parameters, context, executemany):
        if threading.get_ident() == request_thread and not statement.startswith("BEGIN"):
            statements.append(statement)

    sales = login("sales")
    event.listen(platform.db, "before_cursor_execute", record)
    try:
        page = sales.get("/worklist/?list=queue").get_data(as_text=True)
    finally:
        event.remove(platform.db, "before_cursor_execute", record)
    assert fill_task.id in page and "Sue Sales" in _row(page, fill_task.id)  # a colleague to hand over to
    assert sum(bool(re.search(r"WHERE app_user\.id = ", s)) for s in statements) == 1
    assert sum("user_role" in s for s in statements) == 2  # the user's roles (joined), the colleagues'
    # 9: the first listing of a version after it was deployed also reads its translations (once per process)
    assert len(statements) <= 9, "\n\n".join(statements)


def test_comments_show_on_the_task_page_and_in_history(platform, login, fill_task):
    sales = login("sales")
    response = sales.post(f"/tasks/{fill_task.id}/comments", data={"body": "Customer asked for\ntwo variants."})
    assert response.status_code == 302 and response.headers["Location"].endswith("#comments")
    page = sales.get(f"/tasks/{fill_task.id}").get_data(as_text=True)
    assert "Customer asked for\ntwo variants." in page and "Comment added." in page
    history = sales.get(f"/api/instances/{fill_task.instance_id}").json["history"]
    assert history[-1]["kind"] == "commented" and history[-1]["actor"] == "sales"
    assert "a comment cannot be empty" in sales.post(f"/tasks/{fill_task.id}/comments", data={"body": "  "},
                                                     follow_redirects=True).get_data(as_text=True)


def test_task_page_shows_context_earlier_steps_and_diagram(platform, actors, login, tmp_uploads):
    deploy(platform)
    customer = add_customer(platform, "Dalian Shipyard", owner="sales")
    sales = login("sales")
    sales.post("/processes/start/all_fields", data={"subject": "Hull 9", "customer_id": str(customer)})
    fill = ready_task(platform, _only_instance(platform))
    form = {**VALID_HTML, "contact_user": str(user_id(platform, "custdir"))}
    assert sales.post(f"/tasks/{fill.id}", data=form).status_code == 302
    review = ready_task(platform, fill.instance_id)
    page = login("custdir").get(f"/tasks/{review.id}").get_data(as_text=True)
    assert "Dalian Shipyard" in page and "Approve the request" in page
    steps = page[page.index("Earlier steps"):page.index(">History<")]
    assert "Started" in steps and "Hull 9" in steps and "Dalian Shipyard (#" in steps
    assert "Fill in every field" in steps and "Sam Sales" not in steps and "sales ·" in steps
    assert "Key customer" in steps and "Price, Technology" in steps and "Cara Customer-Director (#" in steps
    assert "Quantity" in steps and "12.50" in steps and "Yes" in steps
    markers = json.loads(re.search(r"data-markers='([^']+)'", page).group(1))
    assert markers == {"current": ["review"], "completed": ["fill"]}
    assert f"/processes/versions/{_version_id(platform)}/diagram.bpmn" in page
    assert "task completed: Fill in every field" in page  # history uses task titles


def test_completing_confirms_and_a_conflict_shows_the_input_back(platform, login, fill_task):
    sales, sales2 = login("sales"), login("sales2")
    form = {**VALID_HTML, "notes": "my careful notes", "contact_user": str(user_id(platform, "custdir"))}
    assert "id=\"task-form\"" in sales2.get(f"/tasks/{fill_task.id}").get_data(as_text=True)
    done = sales.post(f"/tasks/{fill_task.id}", data=form, follow_redirects=True)
    assert "“Fill in every field” completed." in done.get_data(as_text=True)
    late = sales2.post(f"/tasks/{fill_task.id}", data={**form, "notes": "sue's notes"})
    assert late.status_code == 409
    page = late.get_data(as_text=True)
    assert "sales completed this task first at" in page and "Your input was not applied" in page
    shown = page[page.index('id="your-input"'):]
    assert "sue&#39;s notes" in shown and "Key customer" in shown and "Price, Technology" in shown
    assert 'id="task-form"' not in page


def test_a_lost_race_also_keeps_the_input(platform, login, fill_task, monkeypatch):
    def lose(*args, **kwargs):
        raise Conflict("someone else changed this process at the same moment; reload and try again")

    monkeypatch.setattr("services.processes.tasks.complete_task", lose)
    response = login("sales").post(f"/tasks/{fill_task.id}", data={**VALID_HTML, "notes": "kept"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Someone else changed this process at the same moment" in page and "kept" in page


def test_start_menu_lists_what_the_user_may_start(platform, login, fill_task):
    assert "All field types" in login("sales").get("/processes/start").get_data(as_text=True)
    assert "All field types" not in login("custdir").get("/processes/start").get_data(as_text=True)


def _only_instance(platform) -> int:
    with platform.sessions() as session:
        return session.scalars(select(ProcessInstance.id)).one()


def _version_id(platform) -> int:
    with platform.sessions() as session:
        return session.scalars(select(ProcessVersion.id)).one()


# --- users, roles and teams -------------------------------------------------------------------------


class _FormInRow(HTMLParser):
    """Records forms opened while a <tr> is open (invalid HTML) and inputs' form= attributes."""

    def __init__(self):
        super().__init__()
        self.open_rows = 0
        self.forms_in_rows = 0
        self.form_ids: set[str] = set()
        self.referenced: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr":
            self.open_rows += 1
        elif tag == "form":
            self.forms_in_rows += bool(self.open_rows)
            if attrs.get("id"):
                self.form_ids.add(attrs["id"])
        elif attrs.get("form"):
            self.referenced.add(attrs["form"])

    def handle_endtag(self, tag):
        if tag == "tr":
            self.open_rows -= 1


def test_users_page_is_valid_html_and_edits_roles_team_and_contact(platform, login):
    admin = login("admin")
    page = admin.get("/admin/users/").get_data(as_text=True)
    parser = _FormInRow()
    parser.feed(page)
    assert parser.forms_in_rows == 0
    assert parser.referenced and parser.referenced <= parser.form_ids
    assert admin.post("/admin/users/teams", data={"name": "Service"}).status_code == 302
    with platform.sessions() as session:
        team_id = session.scalar(select(Team.id).where(Team.name == "Service"))
    agent = user_id(platform, "agent")
    response = admin.post(f"/admin/users/{agent}", data={
        "roles": ["service_agent", "engineer"], "team_id": str(team_id), "active": "on", "email": "al@yard.cn",
        "phone": "+86 138 0000 0000", "display_name": "Al Agent", "manager_id": str(agent)})
    assert response.status_code == 302
    with platform.sessions() as session:
        user = session.get(User, agent)
        assert user.role_keys == {"service_agent", "engineer"} and user.team_id == team_id
        assert (user.email, user.phone, user.manager_id) == ("al@yard.cn", "+86 138 0000 0000", None)
        user.roles = [r for r in user.roles if r.key == "service_agent"]  # demo users are kept between tests
        user.team_id, user.email, user.phone = None, "agent@example.com", "+86 138 0000 0100"
        session.commit()
    admin.post(f"/admin/users/teams/{team_id}", data={"name": "Field service"})
    assert "Field service" in admin.get("/admin/users/").get_data(as_text=True)
    assert "not taken" in admin.post("/admin/users/teams", data={"name": "Sales"},
                                     follow_redirects=True).get_data(as_text=True)
    with platform.sessions.begin() as session:
        session.delete(session.get(Team, team_id))


def test_new_user_with_team_and_manager(platform, login):
    admin = login("admin")
    with platform.sessions() as session:
        sales_team = session.scalar(select(Team.id).where(Team.name == "Sales"))
    admin.post("/admin/users/", data={"username": "sales3", "password": "plum-kettle-orbit",
                                      "display_name": "Sid Three", "roles": ["salesperson"], "team_id": str(sales_team),
                                      "manager_id": str(user_id(platform, "salesdir")), "phone": "+86 1"})
    with platform.sessions.begin() as session:
        user = session.scalar(select(User).where(User.username == "sales3"))
        assert user.team_id == sales_team and user.manager.username == "salesdir" and user.phone == "+86 1"
        session.delete(user)
