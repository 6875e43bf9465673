"""The process pages (worklist, task, start menu and form, library, migrate, deploy errors) hold no English
of their own: rendered in the pseudo-language only the data they show is left; a Chinese user reads Chinese."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from crm.accounts.users import User
from crm.notifications.messages import Notification
from tests.i18n.pseudo import pseudo_translations, unmarked_text
from tests.processes.task_helpers import BPMN_DIR, deploy, ready_task, start

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec")
"""Dates are shown by Babel in the page's locale (English under the pseudo-language): data, not text."""
PAGES = [
    # (user, URL; "{task}" is the ready task's id)
    ("sales", "/worklist/?list=queue"),
    ("sales", "/worklist/"),
    ("sales", "/tasks/{task}"),
    ("sales", "/processes/start"),
    ("sales", "/processes/start/all_fields"),
    ("owner", "/processes/library"),
    ("owner", "/processes/all_fields/migrate"),
]


@pytest.fixture
def task(platform, actors, tmp_uploads):
    deploy(platform)
    return ready_task(platform, start(platform, actors["sales"]))


def _data(platform) -> list[str]:
    """What the pages show that is not the product's own text: the BPMN's names and labels, people, the subject."""
    bpmn = (BPMN_DIR / "all_fields.bpmn").read_text()
    documentation = re.findall(r"<bpmn:documentation>([^<]+)</bpmn:documentation>", bpmn)
    with platform.sessions() as session:
        people = [name for user in session.scalars(select(User)) for name in (user.display_name, user.username)
                  if name]
        teams = [user.team.name for user in session.scalars(select(User)) if user.team is not None]
    return [*re.findall(r'(?:name|label|value)="([^"]+)"', bpmn), *documentation, *people, *teams,
            "Ship hull quote", "all_fields", "中文", "English", *MONTHS]


@pytest.mark.parametrize("username,url", PAGES, ids=[f"{u}:{url}" for u, url in PAGES])
def test_no_unmarked_text_on_process_pages(platform, login, task, username, url):
    user = login(username)
    with pseudo_translations():
        answer = user.get(url.format(task=task.id))
    assert answer.status_code == 200
    left = unmarked_text(answer.get_data(as_text=True), _data(platform))
    assert left == [], left


def test_deploy_errors_page_is_marked(platform, login):
    with pseudo_translations():
        answer = login("owner").post("/processes/library/upload", data={
            "files": [(io.BytesIO(b"<not-bpmn/>"), "broken.bpmn")]},
            content_type="multipart/form-data")
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    left = unmarked_text(page, ["broken.bpmn", "BPMN", "DMN", *_data(platform)])
    assert left == [], left


def test_a_chinese_user_reads_the_worklist_and_task_in_chinese(platform, login, task):
    user = login("sales")
    user.post("/language", data={"language": "zh_CN", "next": "/worklist/"})
    worklist = user.get("/worklist/?list=queue").get_data(as_text=True)
    assert "待办任务" in worklist and "我的任务" in worklist and "任务池" in worklist and "认领" in worklist
    page = user.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "之前的步骤" in page and "历史记录" in page and "提交完成" in page
    refused = user.post(f"/tasks/{task.id}", data={"title_text": ""}).get_data(as_text=True)
    assert "此项为必填项。" in refused and "请修改标出的字段。" in refused
    claimed = user.post(f"/worklist/{task.id}/claim", follow_redirects=True).get_data(as_text=True)
    assert "任务已认领" in claimed


def test_task_notices_are_written_in_each_recipients_language(platform, actors, tmp_uploads):
    """The new-task notice of a lane goes to everyone in it, each in their own language (the site's by default)."""
    deploy(platform)
    with platform.sessions.begin() as session:
        session.scalar(select(User).where(User.username == "sales")).language = "zh_CN"
        session.scalar(select(User).where(User.username == "sales2")).language = "en"
    task = ready_task(platform, start(platform, actors["sales"]))
    with platform.sessions() as session:
        notices = {user.username: notice.subject for notice, user in session.execute(
            select(Notification, User).join(User, Notification.user_id == User.id)
            .where(Notification.link == f"/tasks/{task.id}"))}
    assert notices["sales"] == f"新任务：{task.title}"
    assert notices["sales2"] == f"New task: {task.title}"
