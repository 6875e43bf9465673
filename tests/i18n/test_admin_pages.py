"""The admin console (health, instances, an instance in error, failed jobs) holds no English of its own: rendered in
the pseudo-language only data is left (the test diagram's labels, the error and its traceback, people, job
errors); a Chinese administrator reads the console in Chinese."""

from __future__ import annotations

import re

import pytest
from babel import Locale
from sqlalchemy import select

from crm.accounts.users import User
from engine.models import OutboxJob, utcnow
from tests.engine.helpers import BPMN_DIR, deploy, instance, start
from tests.i18n.pseudo import pseudo_translations, unmarked_text

MONTHS = tuple(Locale("en").months["format"]["abbreviated"].values())
JOB_ERROR = "SMTPRecipientsRefused: mailbox unavailable"
PAGES = [
    ("/admin/health", ()),
    ("/admin/instances", ()),
    ("/admin/instances?status=error&timer_overdue=1", ()),
    ("/admin/instances/{instance}", ()),
    ("/admin/jobs", (JOB_ERROR,)),
]


@pytest.fixture
def broken(platform, actors, tmp_path, settle_jobs) -> int:
    """An instance of the test diagram stopped by a failing service task, and a mail job that failed for good."""
    flag = tmp_path / "down"
    flag.write_text("down")
    deploy(platform, "services.bpmn")
    instance_id = start(platform, "services", actors["sales"], {"flag_path": str(flag)})
    settle_jobs()
    with platform.sessions.begin() as session:
        session.add(OutboxJob(instance_id=None, kind="deliver_message", payload="{}", status="failed", attempts=5,
                              last_error=JOB_ERROR, available_at=utcnow()))
    assert instance(platform, instance_id).status == "error"
    return instance_id


def _data(platform, instance_id: int) -> list[str]:
    """The diagram's own labels, the error as raised, the people and the process key: data, not the console's text."""
    bpmn = (BPMN_DIR / "services.bpmn").read_text()
    failed = instance(platform, instance_id)
    with platform.sessions() as session:
        people = [name for user in session.scalars(select(User)) for name in (user.display_name, user.username)]
    return [*re.findall(r'(?:id|name|label|value)="([^"]+)"', bpmn), failed.error_message, failed.error_traceback,
            *people, "services", "中文", "English", *MONTHS]


@pytest.mark.parametrize("url,data", PAGES, ids=[url for url, _ in PAGES])
def test_no_unmarked_text_on_admin_pages(platform, login, broken, url, data):
    admin = login("admin")
    with pseudo_translations():
        answer = admin.get(url.format(instance=broken))
    assert answer.status_code == 200
    left = unmarked_text(answer.get_data(as_text=True), [*_data(platform, broken), *data])
    assert left == [], left


def test_a_chinese_administrator_reads_the_console_in_chinese(platform, login, broken):
    admin = login("admin")
    admin.post("/language", data={"language": "zh_CN", "next": "/"})
    health = admin.get("/admin/health").get_data(as_text=True)
    assert "流程运行状况" in health and "出错的流程实例" in health and "失败的作业" in health
    page = admin.get(f"/admin/instances/{broken}").get_data(as_text=True)
    assert "修复操作" in page and "服务任务" in page and "重试失败的任务" in page and "理由（必填）" in page
    assert "错误堆栈" in page and "ServiceTask" not in page
    jobs = admin.get("/admin/jobs").get_data(as_text=True)
    assert "发送邮件或短信" in jobs and "deliver_message" not in jobs
    refused = admin.post(f"/admin/instances/{broken}/retry", {"reason": ""}, follow_redirects=True)
    assert "请说明理由" in refused.get_data(as_text=True)
