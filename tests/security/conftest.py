"""Security suite fixtures: a user of its own per test (``member``); one demo world per module (``world``).

Demo users are kept between tests; ``member`` users are removed afterwards. Loading the demo takes several seconds,
so the authorization matrix shares one world (module scope) instead of building records per request; requests that
change data run after the refused ones (see test_authorization_matrix).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from app import create_app
from crm.accounts.access import create_user
from crm.accounts.users import LoginAttempt, Team, User
from crm.base import utcnow
from crm.campaigns.campaigns import create_campaign, invite
from crm.customers.models import Contact, Customer
from crm.integrations import webhooks
from crm.notifications.messages import Notification
from crm.orders.catalog import Product
from crm.orders.contracts import Contract
from crm.orders.payments import Payment, PaymentPlan, PaymentPlanLine
from crm.orders.projects import Milestone, Project
from crm.orders.quotes import Quote, QuoteLine
from crm.processes.worklist import save_filter
from crm.reporting.periodic_reports import create_once
from crm.sales.activities import Activity
from crm.sales.opportunities import Opportunity
from crm.service.service_desk import ServiceOrder, ServiceRequest
from demo import load_demo
from engine.models import HumanTask, ProcessVersion
from services.imports import wizard
from services.processes import uploads
from services.reporting import periodic
from services.reporting.periods import last_completed
from tests.conftest import clear_tables, make_settings, servers_mode
from tests.support.jobs import settle
from tests.support.web import WebUser

from .authorization_table import ROLES

PASSWORD = "plum-kettle-orbit-42"


@pytest.fixture
def member(platform):
    """A fresh salesperson (password :data:`PASSWORD`); returns the username."""
    username = f"m{uuid.uuid4().hex[:10]}"
    with platform.sessions.begin() as session:
        create_user(session, username, PASSWORD, "Member", ["salesperson"])
    yield username
    with platform.sessions.begin() as session:
        user = session.query(User).filter_by(username=username).one_or_none()
        if user is not None:
            session.delete(user)
        session.query(LoginAttempt).filter_by(username=username).delete()


@dataclasses.dataclass
class World:
    """The app with the demo loaded, one client per role and the records that fill URL arguments."""

    app: object
    platform: object
    users: dict[str, WebUser]
    args: dict[str, object]

    def reset(self) -> None:
        """Put the task of the URL arguments back in its lane's queue (claims and hand-overs move it)."""
        with self.platform.sessions.begin() as session:
            session.execute(update(HumanTask).where(HumanTask.id == self.args["task_id"]).values(assignee=None))


@pytest.fixture(scope="module")
def world(database_url, queue_name, workers, tmp_path_factory):
    settings = dataclasses.replace(make_settings(database_url, queue_name),
                                   upload_dir=Path(tmp_path_factory.mktemp("uploads")))
    app = create_app(settings)
    platform = app.extensions["crm"]
    for _ in load_demo(platform):
        pass
    settle(platform)
    users = {role: WebUser(app.test_client(), role).login() for role in ROLES if role != "anonymous"}
    with platform.sessions() as session:
        args = url_arguments(session)
        args["storage_key"] = attachment(session, platform.settings.upload_dir, args["instance_id"])
        sales = session.scalar(select(User).where(User.username == "sales"))
        args["filter_id"] = save_filter(session, sales, "Mine", {"list": "mine"}, shared=False).id
        args["batch_id"] = import_batch(session, platform.settings.upload_dir)
        args["report_id"] = weekly_report(session, platform.settings, sales)
        hook = webhooks.create_webhook(session, "https://erp.example.com/crm-events", ["task.created"], "admin")
        webhooks.pause(hook)  # its events are held: the matrix's requests send nothing out
        args["hook_id"] = hook.id
        spare = webhooks.create_webhook(session, "https://erp.example.com/spare", ["task.created"], "admin")
        webhooks.pause(spare)
        args["spare_hook_id"] = spare.id  # the one the matrix removes
        args["campaign_id"], args["guest_id"] = seminar_with_guest(session, args["contact_id"])
        session.commit()
    yield World(app, platform, users, args)
    clear_tables(platform)
    if servers_mode():
        platform.dispatcher.queue.empty()
    platform.db.dispose()


def seminar_with_guest(session, contact_id: int) -> tuple[int, int]:
    """A seminar that invited the contact of the URL arguments."""
    seminar = create_campaign(session, "Seminar", "seminar", dt.date(2026, 12, 1), dt.date(2026, 12, 1), Decimal(100))
    return seminar.id, invite(session, seminar, session.get(Contact, contact_id)).id


def weekly_report(session, settings, sales: User) -> int:
    """``sales``'s report of last week, its figures filled in (no process: the scheduler is off in tests)."""
    period = last_completed("weekly", utcnow(), settings.zone)
    report = create_once(session, sales.id, period.kind, period.start, period.end)
    periodic.fill(session, report.id, settings.zone, utcnow())
    return report.id


def attachment(session, upload_dir: Path, instance_id: int) -> str:
    """A file ``sales`` uploaded to the instance of the URL arguments."""
    stored = uploads.store(session, upload_dir, io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "offer.pdf", "sales")
    stored.instance_id = instance_id
    return stored.storage_key


def import_batch(session, upload_dir: Path) -> int:
    """An uploaded customer file of ``info`` (the import wizard's URL argument)."""
    content = b"Company,Phone\nMatrix Test Ltd,021-5555 0100\n"
    return wizard.upload(session, upload_dir, io.BytesIO(content), "customers.csv", "customers", "info").id


def url_arguments(session) -> dict[str, object]:
    """A value for every URL argument: records of ``sales``'s data scope (``sales2`` is the outsider)."""
    sales = session.scalar(select(User).where(User.username == "sales"))
    first = lambda model, *where: session.scalar(select(func.min(model.id)).where(*where))  # noqa: E731
    customer = first(Customer, Customer.owner_id == sales.id)
    task = session.scalar(select(HumanTask).where(HumanTask.status == "ready", HumanTask.role == "salesperson",
                                                  HumanTask.customer_id.is_not(None)).order_by(HumanTask.created_at))
    project = first(Project)
    quote = first(Quote)
    return {
        "customer_id": customer,
        "contact_id": first(Contact, Contact.customer_id == customer),
        "contract_id": first(Contract, Contract.owner_id == sales.id),
        "quote_id": quote,
        "quote_line_id": first(QuoteLine, QuoteLine.quote_id == quote),
        "product_id": first(Product),
        "project_id": project,
        "milestone_id": first(Milestone, Milestone.project_id == project),
        "plan_id": first(PaymentPlan),
        "line_id": first(PaymentPlanLine),
        "opp_id": first(Opportunity, Opportunity.owner_id == sales.id),
        "activity_id": first(Activity, Activity.owner_id == sales.id),
        "request_id": first(ServiceRequest),
        "order_id": first(ServiceOrder),
        "payment_id": first(Payment),
        "notification_id": first(Notification, Notification.user_id == sales.id),
        "team_id": first(Team),
        "user_id": sales.id,
        "instance_id": task.instance_id,
        "task_id": task.id,
        "version_id": session.scalar(select(ProcessVersion.id).where(ProcessVersion.process_key == task.process_key)
                                     .order_by(ProcessVersion.id.desc())),
        "key": task.process_key,
        "kind": "customer",
        "action": "suspend",
        "name": "missing.bpmn",
        "filename": "css/app.css",
    }
