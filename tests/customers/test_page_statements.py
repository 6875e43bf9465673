"""The record pages read each kind of data they show once, however many rows and owners a page holds (no
statement per row): counted in SQL statements per request, which do not depend on the machine's load."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from crm.accounts.users import User
from crm.customers.behaviour import BehaviourEvent
from crm.customers.history import CustomerEvent
from crm.customers.models import Contact, Customer
from crm.customers.ownership import OwnerChange
from crm.orders.payments import PaymentPlan, PaymentPlanLine
from crm.sales.activities import Activity
from crm.sales.opportunities import Opportunity, create_opportunity, move_to_stage
from crm.sales.tenders import Tender
from crm.sales.visits import Reception, Visit
from tests.support.statements import reading, statements


@pytest.fixture
def two_owners(platform):
    """Six customers with an open opportunity each, owned by ``sales`` and ``sales2`` (both report to
    ``salesdir``), in three industries and two regions."""
    with platform.sessions.begin() as session:
        owners = [session.scalar(select(User).where(User.username == name)) for name in ("sales", "sales2")]
        for n in range(6):
            customer = Customer(company=f"Harbour Works {n}", industry=("Shipping", "Steel", "Ports")[n % 3],
                                region=("East", "North")[n % 2], owner=owners[n % 2])
            session.add(customer)
            session.flush()
            create_opportunity(session, customer, f"Crane {n}", Decimal(1000 + n), owners[n % 2].username,
                               owner=owners[n % 2], stage=1 + n % 3)


def _owner_reads(seen: list[str]) -> list[str]:
    """Users (or their roles) read one by one, besides the signed-in user: the N+1 of a row's owner."""
    signed_in = next(s for s in seen if s.startswith(("SELECT app_user", "WITH RECURSIVE reports")))  # with reports
    return [s for s in seen if s is not signed_in and (s.startswith("SELECT user_role") or (
        s.startswith("SELECT app_user") and ("WHERE app_user.id =" in s or "WHERE app_user.id IN" in s)))]


@pytest.mark.parametrize("url", ["/customers/", "/customers/?q=harbour"])
def test_the_customer_list_reads_customers_with_owners_and_its_filter_choices_once(platform, login, two_owners,
                                                                                    url):
    director = login("salesdir")
    director.get(url)
    with statements(platform) as seen:
        page = director.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and html.count('data-customer-id="') == 6
    assert 'data-count="customers">6<' in html
    for option in ("<option>Shipping</option>", "<option>Ports</option>", "<option>North</option>"):
        assert option in html
    # the page with its total and owners, then every filter's choices: two statements, whoever owns the rows
    assert len(reading(seen, "customer")) == 2, "\n".join(seen)
    assert _owner_reads(seen) == [], "\n".join(seen)
    assert len(seen) <= 6, "\n".join(seen)


def test_a_page_past_the_end_of_the_customer_list_still_counts_the_customers(platform, login, two_owners):
    html = login("salesdir").get("/customers/?page=3").get_data(as_text=True)
    assert 'data-count="customers">6<' in html and 'data-customer-id="' not in html


def test_the_pipeline_reads_its_opportunities_with_customers_and_owners_in_one_statement(platform, login,
                                                                                         two_owners):
    director = login("salesdir")
    director.get("/opportunities/")
    with statements(platform) as seen:
        page = director.get("/opportunities/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and html.count('class="card crm-opp"') == 6
    assert "Harbour Works 5" in html
    assert len(reading(seen, "opportunity")) == 1 and len(reading(seen, "customer")) == 1, "\n".join(seen)
    assert _owner_reads(seen) == [], "\n".join(seen)
    assert len(seen) <= 5, "\n".join(seen)


@pytest.fixture
def busy_customer(platform):
    """A customer of ``sales`` whose history was written by several people: activities, visits, receptions,
    tenders, behaviour of two contacts, an owner change, opportunity stages, record events, two payment plans."""
    with platform.sessions.begin() as session:
        sales, sales2, salesdir = (session.scalar(select(User).where(User.username == name))
                                   for name in ("sales", "sales2", "salesdir"))
        customer = Customer(company="Busy Yard", owner=sales)
        contacts = [Contact(name=f"Contact {n}") for n in range(2)]
        customer.contacts.extend(contacts)
        session.add(customer)
        session.flush()
        people = (sales, sales2, salesdir)
        for n, person in enumerate(people):
            session.add_all([
                Activity(customer=customer, kind="call", subject=f"Call {n}", status="done", owner=person,
                         done_at=dt.datetime(2026, 12, 1 + n, 10), outcome="ok", next_action="" if n else "write"),
                Visit(customer=customer, visitor=person, purpose=f"Visit {n}", status="visited",
                      visited_on=dt.date(2026, 11, 1 + n)),
                Reception(customer=customer, host=person, purpose=f"Reception {n}", arrival_date=dt.date(2026, 10, 1)),
                Tender(customer=customer, owner=person, project=f"Tender {n}"),
                BehaviourEvent(customer_id=customer.id, contact_id=contacts[n % 2].id, kind="web_visit",
                               detail=f"page {n}"),
                CustomerEvent(customer_id=customer.id, kind="edited", summary=f"edit {n}", by=person.username),
                PaymentPlan(customer=customer, title=f"Plan {n}", lines=[
                    PaymentPlanLine(label="Deposit", due_date=dt.date(2027, 1, 1 + n), amount=Decimal(100)),
                    PaymentPlanLine(label="Balance", due_date=dt.date(2027, 2, 1 + n), amount=Decimal(200))]),
            ])
            opp = create_opportunity(session, customer, f"Deal {n}", Decimal(500), person.username, owner=person)
            move_to_stage(session, opp, 2, person.username)
        session.add_all([OwnerChange(customer_id=customer.id, from_owner_id=sales2.id, to_owner_id=sales.id,
                                     changed_by="salesdir", reason="handover"),
                         OwnerChange(customer_id=customer.id, from_owner_id=None, to_owner_id=sales2.id,
                                     changed_by="salesdir")])
        return customer.id


def test_the_customer_page_reads_its_timeline_in_one_statement_whoever_wrote_it(platform, login, busy_customer):
    director = login("salesdir")
    url = f"/customers/{busy_customer}"
    director.get(url)
    with statements(platform) as seen:
        page = director.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for kind, count in (("activity", 3), ("visit", 3), ("reception", 3), ("tender", 3), ("behaviour", 3),
                        ("owner", 2), ("opportunity", 6), ("record", 3)):
        assert html.count(f'data-kind="{kind}"') == count, kind
    assert "Owner changed from nobody to" in html
    timeline = [s for s in seen if " UNION ALL " in s and "activity" in s]
    assert len(timeline) == 1, "\n".join(seen)
    for table in ("activity", "visit", "reception", "tender", "behaviour_event", "customer_owner_change",
                  "opportunity_stage_change", "customer_event"):
        assert reading(seen, table) == timeline, table  # nothing else reads them
    assert _owner_reads(seen) == [] and len(reading(seen, "contact")) == 2, "\n".join(seen)  # timeline, contacts
    assert len(seen) <= 11, "\n".join(seen)  # SQLite's BEGIN included


HUB_ONLY = ("quote", "contract", "project", "payment_plan", "payment_plan_line", "service_request", "stored_file")
"""Tables only the customer page's sections read."""


def test_the_customer_page_reads_its_sections_in_one_statement_and_process_versions_once(platform, login,
                                                                                          busy_customer):
    director = login("salesdir")
    url = f"/customers/{busy_customer}"
    director.get(url)
    with statements(platform, without_begin=True) as seen:
        page = director.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Plan 2" in html and "Deal 0" in html
    assert html.count('<span class="text-nowrap">¥300.00</span>') == 3  # each plan's total: the sum of its lines
    sections = reading(seen, "payment_plan_line")  # each plan's total and the open receivables
    assert len(sections) == 1, "\n".join(seen)
    for table in HUB_ONLY:
        assert reading(seen, table) == sections, table
    assert reading(seen, "opportunity") == sections + [s for s in seen if " UNION ALL " in s and "activity" in s]
    # the newest versions (start menu) in one statement; the history's versions come with the history
    assert len([s for s in seen if s.startswith("SELECT process_version.")]) == 1, "\n".join(seen)
    # the user, the customer, its sections, timeline, process history, the newest versions, the salespeople (to
    # reassign), the wallet, the unread notifications, the contacts
    assert len(seen) == 10, "\n".join(seen)


def test_the_contact_page_resolves_the_data_scope_once(platform, login, make_customer):
    customer_id = make_customer()
    sales = login("sales")
    customer_page = sales.get(f"/customers/{customer_id}").get_data(as_text=True)
    contact_id = customer_page.split('data-contact-id="')[1].split('"')[0]
    url = f"/customers/{customer_id}/contacts/{contact_id}/edit"
    sales.get(url)
    with statements(platform) as seen:
        page = sales.get(url)
    assert page.status_code == 200 and "Li Wei" in page.get_data(as_text=True)
    assert len([s for s in seen if "RECURSIVE" in s]) == 1, "\n".join(seen)


def test_the_opportunity_page_reads_its_customer_and_owner_with_it(platform, login, two_owners):
    director = login("salesdir")
    with platform.sessions() as session:
        opp_id = session.scalar(select(Opportunity.id).where(Opportunity.name == "Crane 1"))
    director.get(f"/opportunities/{opp_id}")
    with statements(platform) as seen:
        page = director.get(f"/opportunities/{opp_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Harbour Works 1" in html
    assert len(reading(seen, "customer")) == 1 and _owner_reads(seen) == [], "\n".join(seen)
