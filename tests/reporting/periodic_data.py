"""A known month of one salesperson's records around the Shanghai day, week and month boundaries.

Times are naive UTC; Shanghai is UTC+8, so 2026-12-31 16:00 UTC is 2027-01-01 00:00 there.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from crm.accounts.users import User
from crm.customers.models import Customer
from crm.orders.contracts import Contract
from crm.orders.quotes import add_line, create_quote
from crm.sales.activities import Activity
from crm.sales.opportunities import Opportunity, StageChange
from crm.sales.visits import Reception, Visit


def utc(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute)


def december(session) -> dict[str, int]:
    """``sales``'s December 2026 (and some records just outside it, or someone else's)."""
    sales = session.scalar(select(User).where(User.username == "sales"))
    sales2 = session.scalar(select(User).where(User.username == "sales2"))

    def customer(company, created_at, owner=sales):
        row = Customer(company=company, owner=owner, created_at=created_at)
        session.add(row)
        return row

    alpha = customer("Alpha Shipping", utc(12, 31, 15))            # 23:00 on Dec 31 in Shanghai
    customer("Beta Marine", utc(12, 31, 16, 30))                    # already Jan 1 in Shanghai
    gamma = customer("Gamma Ferries", utc(12, 10, 2))
    customer("Other Lines", utc(12, 31, 10), owner=sales2)          # someone else's
    customer("Delta Tugs", utc(12, 27, 15, 30))                     # 23:30 on Sunday Dec 27: still that week
    session.flush()

    def activity(kind, cust, status, planned_for=None, done_at=None, subject="", outcome=""):
        session.add(Activity(customer=cust, owner=sales, kind=kind, subject=subject or kind, status=status,
                             planned_for=planned_for, done_at=done_at, outcome=outcome))

    activity("call", alpha, "done", dt.date(2026, 12, 31), utc(12, 31, 3), "Engine offer", "Interested in engines")
    activity("email", gamma, "done", dt.date(2026, 12, 22), utc(12, 22, 1), "Brochure", "Sent the brochure")
    activity("meeting", gamma, "done", dt.date(2026, 12, 31), utc(12, 30, 20), "Site meeting", "Agreed a demo")
    activity("call", gamma, "planned", dt.date(2026, 12, 31))                       # overdue
    activity("call", alpha, "done", None, utc(12, 31, 16, 10), "New year call", "Greetings")  # Jan 1 in Shanghai
    activity("call", alpha, "cancelled", dt.date(2026, 12, 31))

    session.add_all([
        Visit(customer=gamma, visitor=sales, visited_on=dt.date(2026, 12, 22), status="visited"),
        Visit(customer=alpha, visitor=sales, visited_on=dt.date(2027, 1, 1), status="visited"),
        Reception(customer=alpha, host=sales, arrival_date=dt.date(2026, 12, 31), status="held"),
        Reception(customer=gamma, host=sales, arrival_date=dt.date(2026, 12, 30), status="approved"),
    ])

    def opportunity(name, cust, amount, created_at, status="open", closed_at=None):
        row = Opportunity(customer=cust, owner=sales, name=name, amount=Decimal(amount), created_at=created_at,
                          status=status, closed_at=closed_at)
        session.add(row)
        return row

    advanced = opportunity("Main engines", alpha, "100000.00", utc(12, 5, 2))
    opportunity("Ferry refit", gamma, "250000.50", utc(12, 31, 5), "won", utc(12, 31, 15, 59))
    opportunity("Deck cranes", gamma, "80000.00", utc(11, 20, 2), "lost", utc(12, 15, 2))
    opportunity("Spare parts", alpha, "5000.00", utc(12, 31, 16, 1))  # Jan 1 in Shanghai
    session.flush()
    session.add(StageChange(opportunity=advanced, from_stage=1, to_stage=3, status="open", probability=30,
                            amount=advanced.amount, changed_by="sales", changed_at=utc(12, 22, 3)))

    accepted = create_quote(session, alpha, sales, "Engines", dt.date(2027, 1, 31), tax_percent=Decimal("13"))
    add_line(session, accepted, Decimal("2"), description="Engine", unit_price=Decimal("10000.00"))
    accepted.created_at, accepted.status, accepted.decided_at = utc(12, 31, 2), "accepted", utc(12, 31, 3)
    draft = create_quote(session, gamma, sales, "Service", dt.date(2027, 1, 31))
    add_line(session, draft, Decimal("1"), description="Service", unit_price=Decimal("5000.00"))
    draft.created_at = utc(12, 23, 1)
    session.add(Contract(customer=alpha, owner=sales, title="Engines", amount=Decimal("113000.00"), status="active",
                         created_at=utc(12, 20, 2), approved_at=utc(12, 23, 6)))
    session.flush()
    return {"sales": sales.id, "sales2": sales2.id}
