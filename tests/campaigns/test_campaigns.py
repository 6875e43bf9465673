"""Marketing campaigns (issue 16 item 5): create, invite, attendance as a behaviour event, sourced opportunities,
cost per won opportunity, and the marketing cost per month (campaigns + visits and receptions) in Shanghai months."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select

from crm.accounts.users import User
from crm.campaigns.campaigns import Campaign
from crm.customers.behaviour import BehaviourEvent
from crm.customers.models import Contact, Customer
from crm.formatting import money
from crm.sales.expenses import ExpenseClaim
from crm.sales.opportunities import Opportunity
from services.campaigns.figures import last_months, marketing_cost_by_month

SHANGHAI = ZoneInfo("Asia/Shanghai")


def known_records(platform) -> dict[str, int]:
    """Two customers with a contact each, three opportunities (two won), visit and reception claims."""
    with platform.sessions.begin() as session:
        sales = session.scalar(select(User).where(User.username == "sales"))
        whale = Customer(company="Blue Whale", owner=sales)
        tide = Customer(company="New Tide", owner=sales)
        ann, bo = Contact(customer=whale, name="Ann Li"), Contact(customer=tide, name="Bo Wang")
        won_nov = Opportunity(customer=whale, owner=sales, name="Engines", amount=Decimal("300000.00"), status="won",
                              closed_at=dt.datetime(2026, 11, 20, 4))
        won_dec = Opportunity(customer=tide, owner=sales, name="Refit", amount=Decimal("120000.00"), status="won",
                              closed_at=dt.datetime(2026, 11, 30, 16, 30))  # 1 December in Shanghai
        open_one = Opportunity(customer=tide, owner=sales, name="Cranes", amount=Decimal("80000.00"))
        session.add_all([ann, bo, won_nov, won_dec, open_one,
                         ExpenseClaim(subject="visit", claimant=sales, approved_amount=Decimal("800.00"),
                                      status="approved", created_at=dt.datetime(2026, 11, 30, 17)),  # Dec in Shanghai
                         ExpenseClaim(subject="reception", claimant=sales, approved_amount=Decimal("1200.00"),
                                      status="paid", created_at=dt.datetime(2026, 11, 5, 2)),
                         ExpenseClaim(subject="visit", claimant=sales, approved_amount=Decimal("999.00"),
                                      status="rejected", created_at=dt.datetime(2026, 11, 6, 2))])
        session.flush()
        return {"ann": ann.id, "bo": bo.id, "won_nov": won_nov.id, "won_dec": won_dec.id, "open": open_one.id}


def new_campaign(user, name, kind, starts_on, cost) -> int:
    response = user.post("/campaigns/", {"name": name, "kind": kind, "starts_on": starts_on, "ends_on": starts_on,
                                         "cost": cost, "notes": ""})
    assert response.status_code == 302 and "/campaigns/" in response.headers["Location"]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def test_a_seminar_invites_records_attendance_and_its_return(platform, login):
    records = known_records(platform)
    mkt = login("mktdir")
    seminar = new_campaign(mkt, "Green shipping seminar", "seminar", "2026-11-10", "30,000.00")
    for contact in ("ann", "bo"):
        assert mkt.post(f"/campaigns/{seminar}/guests", {"contact_id": str(records[contact])}).status_code == 302
    mkt.post(f"/campaigns/{seminar}/guests", {"contact_id": str(records["ann"])})  # inviting twice changes nothing
    with platform.sessions() as session:
        guests = {g.contact_id: g.id for g in session.get(Campaign, seminar).guests}
    assert sorted(guests) == sorted([records["ann"], records["bo"]])
    mkt.post(f"/campaigns/{seminar}/guests/{guests[records['ann']]}/attended")
    mkt.post(f"/campaigns/{seminar}/guests/{guests[records['ann']]}/attended")  # once only
    for opportunity in ("won_nov", "won_dec", "open"):
        mkt.post(f"/campaigns/{seminar}/opportunities", {"opportunity_id": str(records[opportunity])})

    page = login("custdir").get(f"/campaigns/{seminar}").get_data(as_text=True)
    assert '<dd class="col-sm-9" data-attendance>2 / 1</dd>' in page
    assert f"data-sourced>3 / 2 ({money(Decimal('420000.00'))})</dd>" in page
    assert f"data-cost-per-won>{money(Decimal('15000.00'))}</dd>" in page  # 30,000 / 2 won
    with platform.sessions() as session:
        events = [(e.contact_id, e.kind, e.detail) for e in session.scalars(select(BehaviourEvent))]
    assert events == [(records["ann"], "seminar", "Seminar: Green shipping seminar")]


def test_marketing_cost_per_month_adds_campaigns_to_visits_and_receptions(platform, login):
    known_records(platform)
    mkt = login("mktdir")
    new_campaign(mkt, "Green shipping seminar", "seminar", "2026-11-10", "30000.00")
    new_campaign(mkt, "Marintec trade fair", "trade_fair", "2026-12-01", "50000.00")
    with platform.sessions() as session:
        months = marketing_cost_by_month(session, ["2026-10", "2026-11", "2026-12"], SHANGHAI)
    assert [(m.month, m.campaigns, m.visits_and_receptions, m.total, m.won, m.cost_per_won) for m in months] == [
        ("2026-10", Decimal("0.00"), Decimal("0.00"), Decimal("0.00"), 0, None),
        ("2026-11", Decimal("30000.00"), Decimal("1200.00"), Decimal("31200.00"), 1, Decimal("31200.00")),
        ("2026-12", Decimal("50000.00"), Decimal("800.00"), Decimal("50800.00"), 1, Decimal("50800.00"))]
    assert last_months(dt.date(2027, 2, 14), 3) == ["2026-12", "2027-01", "2027-02"]


def test_bad_input_is_refused_and_only_marketing_edits(platform, login):
    mkt = login("mktdir")
    refused = mkt.post("/campaigns/", {"name": "Fair", "kind": "trade_fair", "starts_on": "2026-12-10",
                                       "ends_on": "2026-12-01", "cost": "100"})
    assert refused.status_code == 302
    assert "The campaign cannot end before it starts." in mkt.get("/campaigns/").get_data(as_text=True)
    assert mkt.post("/campaigns/", {"name": "Fair", "kind": "trade_fair", "starts_on": "2026-12-01",
                                    "ends_on": "2026-12-01", "cost": "-5"}).status_code == 302
    with platform.sessions() as session:
        assert session.scalar(select(Campaign)) is None
    assert login("salesdir").post("/campaigns/", {"name": "X", "kind": "seminar", "starts_on": "2026-12-01",
                                                  "ends_on": "2026-12-01", "cost": "1"}).status_code == 403
