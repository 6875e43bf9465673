"""Global search over HTTP for queries of one, two and three or more characters, Chinese and Latin, in every
kind, on both backends: what the viewer may see is found, what belongs to another salesperson is not."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from crm.accounts.users import User
from crm.customers.models import Contact, Customer
from crm.numbering import assign_number
from crm.orders.contracts import Contract
from crm.orders.quotes import create_quote
from crm.sales.opportunities import create_opportunity
from crm.service.service_desk import ServiceRequest
from tests.engine.helpers import deploy


def _records(session, owner: User, company: str, contact: str, mobile: str, email: str, word: str) -> dict:
    """A customer with a contact, an opportunity, a quote, a contract and a service request."""
    customer = Customer(company=company, owner=owner, phone=f"021-{mobile[-8:-4]}-{mobile[-4:]}", email=email)
    customer.contacts.append(Contact(name=contact, mobile=mobile, email=f"c.{email}"))
    session.add(customer)
    session.flush()
    opportunity = create_opportunity(session, customer, f"{word}液化气船", Decimal("1000"), owner.username)
    quote = create_quote(session, customer, owner, f"{word} Feeder spares", dt.date(2031, 1, 1))
    contract = Contract(customer=customer, owner=owner, title=f"{word} 修船合同", amount=Decimal("10"))
    assign_number(session, contract, "C")
    service = ServiceRequest(customer=customer, channel="phone", request_type="repair", description="-")
    assign_number(session, service, "SR")
    session.flush()
    return {"customer": customer.id, "opportunity": opportunity.id, "quote": quote.id, "quote_number": quote.number,
            "contract": contract.id, "contract_number": contract.number, "service": service.id,
            "service_number": service.number}


@pytest.fixture
def world(platform, actors):
    """``sales``'s records (上海船舶重工…) and ``sales2``'s (大连船舶工业公司), and an instance titled 船坞巡检."""
    with platform.sessions.begin() as session:
        users = {u.username: u for u in session.scalars(select(User))}
        mine = _records(session, users["sales"], "上海船舶重工有限公司", "王建国", "13800138000",
                        "buy@shipyard.cn", "甲")
        theirs = _records(session, users["sales2"], "大连船舶工业公司", "王芳", "13900139000", "buy@dalian.cn", "乙")
    deploy(platform, "approval.bpmn")
    with platform.sessions.begin() as session:
        instance = platform.engine.start(session, "approval", {}, actors["sales"])
        instance.title = "船坞巡检 Dock survey"
        return {"mine": mine, "theirs": theirs, "instance": instance.id}


def _hits(user, query: str) -> str:
    response = user.get("/search/", query_string={"q": query})
    assert response.status_code == 200
    return response.get_data(as_text=True)


SALES_CASES = [
    # (query, kind, record key): sales finds their own record and never sales2's
    ("船", "customers", "customer"),                  # 1 Chinese character
    ("船舶", "customers", "customer"),                # 2
    ("船舶重工", "customers", "customer"),            # 4: no match for sales2's name, asserted below anyway
    ("王", "customers", "customer"),                  # 1: a contact's surname finds the customer
    ("建国", "contacts", "customer"),                 # 2: the contact (a contact opens its customer)
    ("b", "customers", "customer"),                   # 1 Latin letter: the e-mail
    ("bu", "customers", "customer"),                  # 2 Latin letters
    ("buy@", "customers", "customer"),                # 4
    ("sh", "customers", "customer"),                  # pinyin initials of 上海船舶重工… (shcbzg…)
    ("shanghai", "customers", "customer"),            # pinyin
    ("13", "contacts", "customer"),                   # 2 digits: the contact's mobile
    ("0013", "contacts", "customer"),                 # 4 digits
    ("液", "opportunities", "opportunity"),           # 1
    ("液化", "opportunities", "opportunity"),         # 2
    ("液化气船", "opportunities", "opportunity"),     # 4
    ("F", "quotes", "quote"),                         # 1 Latin letter of the title
    ("Fe", "quotes", "quote"),
    ("Feeder", "quotes", "quote"),
    ("Q", "quotes", "quote"),                         # the number's letter
    ("修", "contracts", "contract"),
    ("修船", "contracts", "contract"),
    ("修船合同", "contracts", "contract"),
]


@pytest.mark.parametrize(("query", "kind", "key"), SALES_CASES)
def test_every_length_finds_the_own_record_and_not_the_other_salespersons(login, world, query, kind, key):
    page = _hits(login("sales"), query)
    assert f'data-hit="{kind}-{world["mine"][key]}"' in page
    assert f'data-hit="{kind}-{world["theirs"][key]}"' not in page


THEIRS_CASES = [
    ("大", "customers", "customer"), ("大连", "customers", "customer"), ("大连船舶", "customers", "customer"),
    ("dl", "customers", "customer"), ("dalian", "customers", "customer"), ("芳", "contacts", "customer"),
    ("王芳", "contacts", "customer"), ("0139", "contacts", "customer"), ("乙", "opportunities", "opportunity"),
    ("乙", "quotes", "quote"), ("乙 ", "contracts", "contract"),
]


@pytest.mark.parametrize(("query", "kind", "key"), THEIRS_CASES)
def test_another_salespersons_records_stay_hidden_at_every_length(login, world, query, kind, key):
    hit = f'data-hit="{kind}-{world["theirs"][key]}"'
    assert hit not in _hits(login("sales"), query)
    assert hit in _hits(login("sales2"), query)  # their owner finds them with the same query


@pytest.mark.parametrize("size", [1, 2, 4])
def test_numbers_are_found_by_any_piece(login, world, size):
    mine = world["mine"]
    for number_key, kind, key, user in (("quote_number", "quotes", "quote", "sales"),
                                        ("contract_number", "contracts", "contract", "sales"),
                                        ("service_number", "service_requests", "service", "agent")):
        piece = mine[number_key][-size:]
        assert f'data-hit="{kind}-{mine[key]}"' in _hits(login(user), piece), (kind, piece)


@pytest.mark.parametrize("query", ["船", "船坞", "船坞巡检", "D", "Do", "Dock survey"])
def test_the_administrator_finds_process_instances_by_title(login, world, query):
    assert f'data-hit="instances-{world["instance"]}"' in _hits(login("admin"), query)


def test_an_instance_is_found_by_its_number_and_only_by_the_administrator(login, world):
    instance = world["instance"]
    assert f'data-hit="instances-{instance}"' in _hits(login("admin"), f"#{instance}")
    assert f'data-hit="instances-{instance}"' in _hits(login("admin"), str(instance))
    assert 'data-kind="instances"' not in _hits(login("sales"), "船坞")
