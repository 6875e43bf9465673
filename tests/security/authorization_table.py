"""Who may call which route: ONE table, checked for every route of ``app.url_map`` × every role.

Adding a route? Add one row to ``TABLE`` below, keyed ``"METHOD endpoint"`` (e.g. ``"GET customers.show"``):

    "GET customers.show": signed_in(sales2=404),            # everyone signed in, except the outsider
    "POST quotes.create": only(*SALES_SIDE),                 # the others get 403
    "GET api.task_detail": api(only(*SALES_SIDE, custdir=404)),  # API: anonymous gets 401, not the login page

``tests/security/test_authorization_matrix.py`` fails for a route without a row and prints what every role gets
today, so you can copy the row after checking it is what you want. Expected values per role:

- ``OK``: the view ran for this user (2xx, a redirect that is not to the login page, 400/409/422 for the input);
- ``LOGIN``: a redirect to ``/login?next=…`` (anonymous users on HTML pages);
- ``401`` (API without a token), ``403`` (the role may not), ``404`` (the record is outside the user's data scope:
  its existence is not revealed), ``405``.

URL arguments come from the demo data (``tests/security/conftest.py``): records of ``sales``'s data scope (their
customer, contract, task …), so ``sales2`` (another salesperson, same manager ``salesdir``) is the outsider.
A row may name other arguments (``args={"user_id": "engineer"}`` picks that user's id; other values are used
as given), URL arguments to send in the query string (``query=("task_id",)``), a form/JSON body (``data={...}``,
or a function of a database session returning it) or a fresh login for requests that end the session
(``fresh_session=True``). Rows of routes that change data are requested after the refused roles, so a refused
request never runs against a record that an allowed one has changed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from sqlalchemy import select

from crm.accounts.users import User
from crm.customers.models import Contact, Customer

OK = "ok"
LOGIN = "login"

ROLES = ("anonymous", "admin", "owner", "sales", "sales2", "salesdir", "custdir", "mktdir", "info", "finance",
         "agent", "engineer")
"""The demo users (one per role; ``sales`` and ``sales2`` are both salespeople) and nobody signed in."""
SIGNED_IN = ROLES[1:]


@dataclasses.dataclass(frozen=True)
class Record:
    """A URL argument taken from another record of tests/security/conftest.py (e.g. the quote's own line)."""

    name: str


@dataclasses.dataclass(frozen=True)
class Expect:
    """The expected answer per role for one route, and how to call it."""

    statuses: dict[str, int | str]
    args: dict[str, object] = dataclasses.field(default_factory=dict)
    data: dict | Callable[..., dict] | None = None
    query: tuple[str, ...] = ()
    fresh_session: bool = False


def signed_in(status: int | str = OK, *, anonymous: int | str = LOGIN, **per_role: int | str) -> Expect:
    """Every signed-in role gets ``status`` (``per_role`` overrides by username)."""
    return Expect({"anonymous": anonymous, **{role: status for role in SIGNED_IN}, **per_role})


def only(*roles: str, others: int | str = 403, anonymous: int | str = LOGIN, **per_role: int | str) -> Expect:
    """``roles`` get OK, the other signed-in roles ``others`` (``per_role`` overrides by username)."""
    return Expect({"anonymous": anonymous, **{role: OK if role in roles else others for role in SIGNED_IN},
                   **per_role})


def api(expect: Expect) -> Expect:
    """The same expectation for an API route: anonymous callers get 401 instead of the login page."""
    anonymous = expect.statuses["anonymous"]
    statuses = {**expect.statuses, "anonymous": 401 if anonymous == LOGIN else anonymous}
    return dataclasses.replace(expect, statuses=statuses)


def call(expect: Expect, **how) -> Expect:
    """``expect`` with URL ``args``, a ``query``, a ``data`` body or ``fresh_session`` (see the module docstring)."""
    return dataclasses.replace(expect, **how)


SALES_SIDE = ("admin", "sales", "sales2", "salesdir", "custdir")
"""Quotes, contracts, projects: the salespeople, their directors and the administrator."""
REPORT_READERS = (*SALES_SIDE, "mktdir")
"""Who reads the salespeople's periodic reports (their own and their team's; directors everyone's)."""
ORDER_VIEWERS = (*SALES_SIDE, "finance")
RECORD_EDITORS = ("admin", "sales", "salesdir", "custdir", "mktdir", "info")
"""Create customers and edit those in their data scope (``sales2`` too, for their own)."""
DIRECTORS = ("admin", "salesdir", "custdir")
TARGET_SETTERS = ("admin", "salesdir", "custdir", "mktdir")
"""Set the KPI baselines and targets."""
COST_VIEWERS = ("salesdir", "custdir", "mktdir", "finance")
"""Directors and finance: product costs and margins (crm.accounts.access.COST_ROLES)."""
PROCESS_OWNERS = ("admin", "owner")
SERVICE_SIDE = ("admin", "custdir", "finance", "agent", "engineer")

def engineer_as_is(session) -> dict:
    """The admin form's values that leave the demo engineer as they are (the users table outlives a test)."""
    user = session.scalar(select(User).where(User.username == "engineer"))
    return {"roles": sorted(user.role_keys), "active": "on", "display_name": user.display_name,
            "email": user.email, "phone": user.phone}

MARKETERS = ("admin", "sales", "sales2", "salesdir", "custdir", "mktdir", "info")


def check_in_of_sales_contact(session) -> dict:
    """A seminar check-in of a contact of ``sales``'s customer (outside ``sales2``'s data scope); active ones
    (earlier rows of the matrix deactivate and merge records)."""
    contact = session.scalars(select(Contact).join(Customer, Contact.customer_id == Customer.id)
                              .join(User, Customer.owner_id == User.id)
                              .where(User.username == "sales", Customer.active.is_(True), Contact.active.is_(True))
                              .order_by(Contact.id)).first()
    return {"seminar": "Authorization matrix", "contact_id": str(contact.id)}


TABLE: dict[str, Expect] = {
    # Sign-in, home, static files
    "GET auth.home": signed_in(),
    "GET auth.login": signed_in(anonymous=OK),
    "POST auth.login": signed_in(anonymous=OK),
    "POST auth.logout": call(signed_in(LOGIN), fresh_session=True),
    "GET static": signed_in(anonymous=OK),
    "GET operations.healthz": signed_in(anonymous=OK),
    "GET operations.readyz": signed_in(anonymous=OK),
    "GET operations.metrics": signed_in(404, anonymous=404),  # only with the metrics bearer token
    # Worklist and tasks
    "GET files.download": only("admin", "sales", "salesdir", "custdir", "info", others=404),
    "POST tasks.add_comment": only("admin", "sales", others=404),
    "POST tasks.follow_up": only("sales", others=404, admin=403),
    "POST tasks.handover": call(only("admin", "sales", others=404), data={"assignee": "sales"}),
    "GET tasks.show": only("admin", "sales", others=404),
    "POST tasks.show": only("sales", others=404, admin=403),
    "POST worklist.delete": signed_in(),  # only the owner's filter goes; others are told it is not theirs
    "POST worklist.claim": only("sales", others=404, admin=403),  # admin: not in the lane
    "GET worklist.index": signed_in(),
    "POST worklist.save": signed_in(),
    "POST worklist.unclaim": only("admin", "sales", others=404),  # sales owns the customer
    # JSON API
    "POST api.assign": call(api(only("admin", "sales", others=404)), data={"username": "sales"}),
    "POST api.claim": api(only("sales", others=404, admin=403)),  # admin: not in the lane
    "POST api.complete": api(only("sales", others=404, admin=403)),
    "GET api.instance": api(only("admin", "sales", "salesdir", "custdir", "info", others=404)),
    "GET api.lookup": api(signed_in()),
    "GET api.openapi": signed_in(anonymous=OK),
    "GET api.processes": api(signed_in()),
    "POST api.start": api(signed_in()),
    "GET api.task_detail": api(only("admin", "sales", others=404)),
    "GET api.task_list": api(signed_in()),
    "POST api.token": call(api(signed_in(anonymous=OK)), data={"username": "info", "password": "demo"}),
    "POST api.unclaim": api(only("admin", "sales", others=404)),  # sales owns the customer
    "POST api.upload": api(signed_in()),
    # Webhooks (issue 15): administrators only
    "GET admin_webhooks.index": only("admin"),
    "POST admin_webhooks.create": only("admin"),
    "GET admin_webhooks.show": only("admin"),
    "POST admin_webhooks.pause": only("admin"),
    "POST admin_webhooks.resume": only("admin"),
    "POST admin_webhooks.remove": call(only("admin"), args={"hook_id": Record("spare_hook_id")}),
    # Records API (issue 15): the pages' roles and data scope; anonymous callers get 401
    "GET api.customers_list": api(signed_in()),
    "GET api.customers_read": api(signed_in(owner=404, sales2=404, agent=404, engineer=404)),
    "POST api.customers_create": api(only(*RECORD_EDITORS, "sales2")),
    "PATCH api.customers_update": api(only(*RECORD_EDITORS, sales2=404)),
    "POST api.customers_deactivate": api(only(*RECORD_EDITORS, sales2=404)),
    "GET api.contacts_list": api(signed_in()),
    "GET api.contacts_read": api(signed_in(owner=404, sales2=404, agent=404, engineer=404)),
    "POST api.contacts_create": api(only(*RECORD_EDITORS, "sales2")),
    "PATCH api.contacts_update": api(only(*RECORD_EDITORS, sales2=404)),
    "POST api.contacts_deactivate": api(only(*RECORD_EDITORS, sales2=404)),
    "GET api.opportunities_list": api(signed_in()),
    "GET api.opportunities_read": api(signed_in(owner=404, sales2=404, agent=404, engineer=404)),
    "POST api.opportunities_create": api(only(*SALES_SIDE)),
    "PATCH api.opportunities_update": api(only(*SALES_SIDE, sales2=404)),
    "POST api.opportunity_stage": api(only(*SALES_SIDE, sales2=404)),
    "GET api.activities_list": api(signed_in()),
    "GET api.activities_read": api(signed_in(owner=404, sales2=404, agent=404, engineer=404)),
    "POST api.activities_create": api(only(*RECORD_EDITORS, "sales2")),
    "PATCH api.activities_update": api(only(*RECORD_EDITORS, sales2=404)),
    "GET api.products_list": api(signed_in()),
    "GET api.products_read": api(signed_in()),
    "POST api.products_create": api(only("admin", "info")),
    "PATCH api.products_update": api(only("admin", "info")),
    "POST api.products_deactivate": api(only("admin", "info")),
    "GET api.quotes_list": api(only(*SALES_SIDE)),
    "GET api.quotes_read": api(only(*SALES_SIDE, sales2=404)),
    "POST api.quotes_create": api(only(*SALES_SIDE)),
    "PATCH api.quotes_update": api(only(*SALES_SIDE, sales2=404)),
    "POST api.quote_line": api(only(*SALES_SIDE, sales2=404)),
    "GET api.contracts_list": api(only(*ORDER_VIEWERS)),
    "GET api.contracts_read": api(only(*ORDER_VIEWERS, sales2=404)),
    "POST api.contracts_create": api(only(*SALES_SIDE)),
    "PATCH api.contracts_update": api(only(*SALES_SIDE, sales2=404)),
    "POST api.contracts_deactivate": api(only(*SALES_SIDE, sales2=404)),
    "POST api.contract_terminate": api(only(*DIRECTORS)),
    "GET api.payment_plans_list": api(only(*ORDER_VIEWERS)),
    "GET api.payment_plans_read": api(only(*ORDER_VIEWERS, sales2=404)),
    "POST api.payment_plans_create": api(only(*ORDER_VIEWERS)),
    "PATCH api.payment_plans_update": api(only(*ORDER_VIEWERS, sales2=404)),
    "GET api.payments_list": api(only(*ORDER_VIEWERS)),
    "GET api.payments_read": api(only(*ORDER_VIEWERS, sales2=404)),
    "POST api.payments_create": api(only("admin", "finance")),
    "GET api.service_requests_list": api(only(*SERVICE_SIDE)),
    "GET api.service_requests_read": api(only(*SERVICE_SIDE)),
    "POST api.service_request_create": api(only(*SERVICE_SIDE)),  # and integration users (tests/api)
    "GET api.service_orders_list": api(only(*SERVICE_SIDE)),
    "GET api.service_orders_read": api(only(*SERVICE_SIDE)),
    "PATCH api.service_orders_update": api(only("admin", "custdir", "agent")),
    # Process library, modeler, versions, starting processes
    "POST modeler.deploy": only(*PROCESS_OWNERS),
    "POST modeler.discard": only(*PROCESS_OWNERS),
    "GET modeler.edit": only(*PROCESS_OWNERS),
    "POST modeler.save": only(*PROCESS_OWNERS),
    "POST modeler.validate": only(*PROCESS_OWNERS),
    "GET processes.download": only(*PROCESS_OWNERS),  # the full source: scripts, conditions, forms
    "GET processes.diagram": signed_in(),  # what task pages draw: no scripts or expressions
    "GET processes.download_file": signed_in(403, admin=404, owner=404),
    "GET processes.library": only(*PROCESS_OWNERS),
    "POST processes.new_process": only(*PROCESS_OWNERS),
    "GET processes.start": signed_in(),
    "POST processes.start": signed_in(),
    "GET processes.start_menu": signed_in(),
    "POST processes.upload": only(*PROCESS_OWNERS),
    "GET versions.diff": only(*PROCESS_OWNERS),
    "GET versions.migrate": only(*PROCESS_OWNERS),
    "POST versions.migrate": only(*PROCESS_OWNERS),
    "POST versions.rollback": only(*PROCESS_OWNERS),
    # Customers and sales
    "GET customers.index": signed_in(),
    "GET customers.reassign": only(*DIRECTORS),
    "POST customers.reassign": only(*DIRECTORS),
    "POST customers.reassign_one": only(*DIRECTORS),
    "GET customers.show": signed_in(owner=404, sales2=404, agent=404, engineer=404),
    # customer records (issue 12): editors within their data scope; merging: admin and information officer
    "GET customer_records.create": only(*RECORD_EDITORS, "sales2"),
    "POST customer_records.create": only(*RECORD_EDITORS, "sales2"),
    "GET customer_records.edit": only(*RECORD_EDITORS, sales2=404),
    "POST customer_records.edit": only(*RECORD_EDITORS, sales2=404),
    "POST customer_records.set_active": only(*RECORD_EDITORS, sales2=404),
    "GET customer_records.add_contact": only(*RECORD_EDITORS, sales2=404),
    "POST customer_records.add_contact": only(*RECORD_EDITORS, sales2=404),
    "GET customer_records.edit_contact": only(*RECORD_EDITORS, sales2=404),
    "POST customer_records.edit_contact": only(*RECORD_EDITORS, sales2=404),
    "POST customer_records.contact_active": only(*RECORD_EDITORS, sales2=404),
    "POST customers.log_activity": only(*RECORD_EDITORS, sales2=404),
    "GET quality.index": only("admin", "info"),
    "POST quality.run_now": only("admin", "info"),
    "POST quality.hand_over": only("admin", "info"),
    "GET imports.index": only("admin", "info"),
    "POST imports.index": only("admin", "info"),
    "GET imports.mapping": only("admin", "info"),
    "POST imports.mapping": only("admin", "info"),
    "GET imports.show": only("admin", "info"),
    "GET imports.status": only("admin", "info"),
    "POST imports.run": only("admin", "info"),
    "GET imports.outcome": only("admin", "info"),
    "POST imports.undo_batch": only("admin", "info"),
    "GET customer_merge.merge": only("admin", "info"),
    "POST customer_merge.merge": only("admin", "info"),
    "GET account.show": signed_in(),
    "POST account.save": signed_in(),
    "POST account.password": signed_in(),
    "POST language.choose": signed_in(anonymous=OK),  # the switcher also works before signing in
    "GET language.script_messages": call(signed_in(anonymous=OK), args={"locale": "zh_CN", "digest": "any"}),
    # Behaviour tracking: public addresses answer only genuine tokens (tests/tracking), staff pages to marketers
    "GET tracking.pixel": call(signed_in(404, anonymous=404), args={"token": "forged"}),
    "GET tracking.click": call(signed_in(404, anonymous=404), args={"token": "forged"}),
    "POST tracking.visit": signed_in(403, anonymous=403),  # no website origin allowed in the test settings
    "GET tracking_pages.links": only(*MARKETERS),
    "POST tracking_pages.links": only(*MARKETERS),  # 422 without a campaign: the view ran
    "GET tracking_pages.checkin": only(*MARKETERS),
    "POST tracking_pages.checkin": call(only(*MARKETERS, sales2=404), data=check_in_of_sales_contact),
    "GET opportunities.board": signed_in(),
    "POST opportunities.close": only(*SALES_SIDE, sales2=404),
    "POST opportunities.move": only(*SALES_SIDE, sales2=404),
    "GET opportunities.new": only(*SALES_SIDE),
    "POST opportunities.new": only(*SALES_SIDE),
    "GET opportunities.edit": only(*SALES_SIDE, sales2=404),
    "POST opportunities.edit": only(*SALES_SIDE, sales2=404),
    "GET opportunities.show": signed_in(owner=404, sales2=404, agent=404, engineer=404),
    "POST opportunities.update": only(*SALES_SIDE, sales2=404),
    "POST plans.add": signed_in(),
    "POST plans.comment": only("salesdir", others=404),
    "POST plans.done": only("sales", others=404),
    "GET plans.mine": signed_in(),
    "POST plans.notes": signed_in(),
    "GET plans.team": signed_in(),
    # Orders: quotes, contracts, projects, payments
    "POST contracts.create": only(*SALES_SIDE),
    "GET contracts.document": only(*ORDER_VIEWERS, sales2=404),
    "GET contracts.document_pdf": only(*ORDER_VIEWERS, sales2=404),
    "POST contracts.expire": only(*DIRECTORS),
    "GET contracts.index": only(*ORDER_VIEWERS),
    "GET contracts.show": only(*ORDER_VIEWERS, sales2=404),
    "POST contracts.submit": only(*SALES_SIDE, sales2=404),
    "GET contracts.templates": only(*DIRECTORS),
    "POST contracts.templates": only(*DIRECTORS),
    "POST contracts.terminate": only(*DIRECTORS),
    "POST payments.collect": only("admin", "finance"),
    "POST payments.create_plan": only(*ORDER_VIEWERS, sales2=404),
    "GET payments.plan": only(*ORDER_VIEWERS, sales2=404),
    "GET payments.receivables_page": only(*ORDER_VIEWERS),
    "POST payments.record_payment": only("admin", "finance"),
    "POST projects.add_milestone": only(*SALES_SIDE, sales2=404),
    "POST projects.create": only(*SALES_SIDE),
    "GET projects.index": only(*SALES_SIDE),
    "POST projects.milestone_done": only(*SALES_SIDE, sales2=404),
    "GET projects.show": only(*SALES_SIDE, sales2=404),
    "POST projects.update": only(*SALES_SIDE, sales2=404),
    "POST quotes.add_line": only(*SALES_SIDE, sales2=404),
    "POST quotes.change_line": call(only(*SALES_SIDE, sales2=404), args={"line_id": Record("quote_line_id")},
                                    data={"action": "up"}),
    "POST quotes.create": only(*SALES_SIDE),
    "POST customer_wallet.estimate": call(only("sales", "sales2", "salesdir", "custdir", "info", sales2=404),
                                          data={"year": "2026", "amount": "100000", "source": "purchasing manager"}),
    "POST quotes.set_line_cost": call(only("salesdir", "custdir"), args={"line_id": Record("quote_line_id")},
                                      data={"unit_cost": "10.00"}),
    "GET product_costs.index": only(*COST_VIEWERS),
    "POST product_costs.save": call(only(*COST_VIEWERS), data={"standard_cost": "10.00"}),
    "GET quotes.edit": only(*SALES_SIDE, sales2=404),
    "POST quotes.save": only(*SALES_SIDE, sales2=404),
    "GET quotes.edit_line": call(only(*SALES_SIDE, sales2=404), args={"line_id": Record("quote_line_id")}),
    "POST quotes.save_line": call(only(*SALES_SIDE, sales2=404), args={"line_id": Record("quote_line_id")}),
    "GET quotes.new": only(*SALES_SIDE),
    "GET quotes.index": only(*SALES_SIDE),
    "POST quotes.make_contract": only(*SALES_SIDE, sales2=404),
    "POST quotes.set_status": only(*SALES_SIDE, sales2=404),
    "POST quotes.revise": only(*SALES_SIDE, sales2=404),
    "GET quotes.document": only(*SALES_SIDE, sales2=404),
    "GET quotes.document_pdf": only(*SALES_SIDE, sales2=404),
    "GET quotes.show": only(*SALES_SIDE, sales2=404),
    # Service
    "POST engineers.add_profile": only("admin", "agent"),
    "POST engineers.book": only("admin", "agent"),
    "GET engineers.schedule": only(*SERVICE_SIDE),
    "GET service.index": only(*SERVICE_SIDE),
    "GET service.show": only(*SERVICE_SIDE),
    # Reports and notifications
    "GET notifications.index": signed_in(),
    "POST notifications.open_one": signed_in(),
    "GET notifications.outbox": signed_in(),
    "POST notifications.read_all": signed_in(),
    "GET reports.data": signed_in(),
    "GET kpi.index": signed_in(),
    "GET kpi.data": signed_in(),
    "GET kpi.targets": only(*TARGET_SETTERS),
    "POST kpi.save_targets": call(only(*TARGET_SETTERS), data={"target_sales": "1000000"}),
    "GET reports.export": signed_in(),
    "GET reports.index": signed_in(),
    "GET periodic_reports.index": only(*REPORT_READERS),
    "GET periodic_reports.export": only(*REPORT_READERS),
    "GET periodic_reports.show": only(*REPORT_READERS, sales2=404),
    "GET periodic_reports.pdf": only(*REPORT_READERS, sales2=404),
    "GET periodic_reports.team": only("admin", "salesdir", "custdir"),
    "GET campaigns.index": only("admin", "salesdir", "custdir", "mktdir"),
    "GET campaigns.show": only("admin", "salesdir", "custdir", "mktdir"),
    "POST campaigns.create": only("admin", "mktdir"),
    "POST campaigns.add_guest": only("admin", "mktdir"),
    "POST campaigns.attended": only("admin", "mktdir"),
    "POST campaigns.add_opportunity": only("admin", "mktdir"),
    "GET search.results": signed_in(),
    "GET lists.show": call(only(*ORDER_VIEWERS), args={"name": "contracts"}),
    "GET lists.export": call(only(*SALES_SIDE), args={"name": "quotes", "fmt": "xlsx"}),
    # Administration
    "POST admin_instances.act": only("admin"),
    "POST admin_instances.bulk": only("admin"),
    "GET admin_instances.health": only("admin"),
    "GET admin_instances.index": only("admin"),
    "GET admin_instances.jobs": only("admin"),
    "GET admin_instances.rewind_preview": call(only("admin"), query=("task_id",)),
    "POST admin_instances.requeue_jobs": only("admin"),
    "GET admin_instances.show": only("admin"),
    "POST admin_users.create": only("admin"),
    "POST admin_users.create_team": only("admin"),
    "GET admin_users.index": only("admin"),
    "POST admin_users.rename_team": only("admin"),
    "POST admin_users.update": call(only("admin"), args={"user_id": "engineer"}, data=engineer_as_is),
}
