"""References in generated forms stay within the actor's data scope (issue 11 items 4 and 18).

``sales`` and ``sales2`` are both salespeople: neither may pick, look up or start a process with the other's
customers, contacts or contracts. A contact must belong to the chosen customer. Start forms that name a contract
or a payment plan line offer only suitable records and refuse the rest with 422, before any instance exists.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from crm.accounts.users import User
from crm.customers.models import Contact, Customer
from crm.orders.contracts import Contract
from crm.orders.payments import LineSpec, create_plan
from engine.models import ProcessInstance
from tests.processes.task_helpers import deploy
from tests.support.api_driver import bpmn_files


@pytest.fixture
def books(platform):
    """A customer with a contact, a draft and an active contract and a payment plan, for ``sales`` and ``sales2``."""
    made = {}
    with platform.sessions.begin() as session:
        for username in ("sales", "sales2"):
            owner = session.scalar(select(User).where(User.username == username))
            customer = Customer(company=f"{username} Shipping", owner=owner)
            customer.contacts.append(Contact(name=f"{username} buyer"))
            session.add(customer)
            session.flush()
            draft, active = (Contract(customer=customer, owner=owner, title=f"{username} {status}", amount=100,
                                      status=status) for status in ("draft", "active"))
            session.add_all([draft, active])
            session.flush()
            plan = create_plan(session, customer, [LineSpec("Advance", dt.date(2030, 1, 1), amount=Decimal(40)),
                                                   LineSpec("Rest", dt.date(2030, 6, 1), amount=Decimal(60))],
                               contract=active, title=f"{username} plan")
            plan.lines[1].status = "settled"
            made[username] = {"customer": customer.id, "contact": customer.contacts[0].id, "draft": draft.id,
                              "active": active.id, "open_line": plan.lines[0].id, "settled_line": plan.lines[1].id}
    return made


def labels(user, kind: str, query: str = "") -> set[str]:
    return {row["label"] for row in user.get(f"/api/lookup/{kind}?q={query}").json}


def test_lookups_offer_only_what_the_actor_may_pick(login, books):
    sales = login("sales")
    assert labels(sales, "customer") == {"sales Shipping"}
    assert labels(sales, "contact") == {"sales buyer"}
    assert labels(sales, "contract") == {"sales draft"}
    assert labels(sales, "plan_line") == {"sales plan · Advance"}
    assert sales.get(f"/api/lookup/customer?id={books['sales2']['customer']}").json == []
    assert sales.get(f"/api/lookup/contact?id={books['sales2']['contact']}").json == []
    huge = sales.get(f"/api/lookup/customer?id={10**30}")  # beyond any row id: web/request_checks.py refuses it
    assert huge.status_code == 400 and huge.mimetype == "application/json"
    assert labels(login("salesdir"), "customer") == {"sales Shipping", "sales2 Shipping"}  # their manager
    assert labels(login("finance"), "plan_line") == {"sales plan · Advance", "sales2 plan · Advance"}


def instances(platform) -> int:
    with platform.sessions() as session:
        return session.scalar(select(func.count()).select_from(ProcessInstance))


def test_a_start_with_someone_elses_customer_is_refused_over_api_and_html(platform, login, books, tmp_uploads):
    deploy(platform)
    sales = login("sales")
    theirs = books["sales2"]["customer"]
    refused = sales.api("POST", "/api/processes/all_fields/instances", json={"subject": "Hull", "customer_id": theirs})
    assert refused.status_code == 422 and refused.json["fields"] == {"customer_id": ["No such customer."]}
    page = sales.post("/processes/start/all_fields", data={"subject": "Hull", "customer_id": str(theirs)})
    assert page.status_code == 422 and "No such customer." in page.get_data(as_text=True)
    assert instances(platform) == 0
    mine = sales.api("POST", "/api/processes/all_fields/instances",
                     json={"subject": "Hull", "customer_id": books["sales"]["customer"]})
    assert mine.status_code == 201, mine.json


def test_a_contact_must_belong_to_the_chosen_customer(platform, login, books):
    with platform.sessions.begin() as session:
        platform.engine.deploy(session, bpmn_files(("customer_visit.bpmn", "approval_authority.dmn",
                                                    "expense_reimbursement.bpmn")), "owner")
    salesdir = login("salesdir")  # sees both customers: the mismatch, not the scope, is refused
    visit = {"purpose": "Annual review", "planned_date": "2030-03-01", "objectives": "Renew", "budget": "100.00",
             "customer_id": books["sales"]["customer"]}
    refused = salesdir.api("POST", "/api/processes/customer_visit/instances",
                           json={**visit, "contact_id": books["sales2"]["contact"]})
    assert refused.status_code == 422
    assert refused.json["fields"] == {"contact_id": ["This contact does not belong to the chosen customer."]}
    assert instances(platform) == 0


@pytest.mark.parametrize(("field", "process", "good", "bad", "message"), [
    ("contract_id", "contract_approval", "draft", "active", "Only a draft contract can be chosen here."),
    ("plan_line_id", "payment_collection", "open_line", "settled_line",
     "This payment plan line is settled or already being collected."),
])
def test_start_forms_take_only_suitable_orders_records(platform, login, books, field, process, good, bad, message):
    with platform.sessions.begin() as session:
        platform.engine.deploy(session, bpmn_files(("contract_approval.bpmn", "contract_approval_route.dmn",
                                                    "payment_collection.bpmn")), "owner")
    user = login("sales" if process == "contract_approval" else "finance")
    url = f"/api/processes/{process}/instances"
    unsuitable = user.api("POST", url, json={field: books["sales"][bad]})
    assert unsuitable.status_code == 422 and unsuitable.json["fields"] == {field: [message]}
    missing = user.api("POST", url, json={field: 987654})
    assert missing.status_code == 422 and "No such" in missing.json["fields"][field][0]
    if process == "contract_approval":
        outsider = user.api("POST", url, json={field: books["sales2"]["draft"]})
        assert outsider.status_code == 422 and outsider.json["fields"] == {field: ["No such contract."]}
    assert instances(platform) == 0
    started = user.api("POST", url, json={field: books["sales"][good]})
    assert started.status_code == 201 and started.json["status"] != "error", started.json
