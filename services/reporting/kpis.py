"""§9 KPIs by month over the chosen period: sales, win rate, sales cycle, satisfaction, marketing cost.

Sales records are scoped by their own owner (as the contract and pipeline lists are), service follow-ups by
the customer's owner, expense claims by the claimant. Months are the site time zone's (:mod:`.filters`).
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache

from sqlalchemy import Row, Select, or_, select
from sqlalchemy.orm import Session

from crm.accounts.users import User
from crm.campaigns.campaigns import Campaign
from crm.customers.models import Customer
from crm.orders.contracts import Contract
from crm.sales.expenses import ExpenseClaim
from crm.sales.opportunities import Opportunity
from crm.service.service_desk import FollowUp, ServiceOrder
from i18n import _, _l
from services.reporting.bound import ENDS, FIRST, LAST, STARTS, Shape, parameters, shape_of, within
from services.reporting.filters import ReportFilter
from services.reporting.report_types import Report, Series, mean, money, pivot

SIGNED = (Contract.company_signed_on.is_not(None), Contract.customer_signed_on.is_not(None))
"""Contracts signed by both sides (active, or terminated or expired since); signed on the later date."""
UNASSIGNED = _l("(no owner)")
MARKETING_SUBJECTS = {"visit": _l("Visits"), "reception": _l("Receptions")}
CAMPAIGNS = _l("Campaigns")
"""Expense claims counted as marketing cost, by the process they came from."""


SIGNED_WITHIN = (*SIGNED, or_(Contract.company_signed_on >= FIRST, Contract.customer_signed_on >= FIRST),
                 Contract.company_signed_on <= LAST, Contract.customer_signed_on <= LAST)
"""Conditions of contracts whose later signature falls in the period (:mod:`.bound` parameters)."""


def sales_by_month(session: Session, scope: set[int] | None, report_filter: ReportFilter) -> Report:
    """Signed contract amount per month, one series per salesperson (the contract's owner) and the total."""
    labels = report_filter.labels
    rows = [(report_filter.month_of(max(company, customer)), name or str(UNASSIGNED), money(amount))
            for amount, company, customer, name in session.execute(_sales_statement(shape_of(scope, report_filter)),
                                                                   parameters(scope, report_filter))]
    people = pivot(rows, labels, unit="money")
    total = [round(sum(values), 2) for values in zip(*(s.data for s in people), strict=True)] or [0] * len(labels)
    return Report("sales", _("Sales (signed contract amount)"), labels,
                  [*people, Series(_("Total"), total, kind="line", unit="money")], section="kpis", monthly=True,
                  note=_("A contract counts in the month the later of the two sides signed it."))


@cache
def _sales_statement(shape: Shape) -> Select:
    query = (select(Contract.amount, Contract.company_signed_on, Contract.customer_signed_on, User.display_name)
             .outerjoin(User, User.id == Contract.owner_id).where(*SIGNED_WITHIN))
    return within(query, Contract.owner_id, Contract.customer_id, shape)


def closed_opportunities(session: Session, scope: set[int] | None, report_filter: ReportFilter) -> list[Row]:
    """Opportunities won or lost within the period: their ``status``, ``created_at`` and ``closed_at``."""
    return list(session.execute(closed_statement(shape_of(scope, report_filter)), parameters(scope, report_filter)))


@cache
def closed_statement(shape: Shape) -> Select:
    """The owner, ``status``, ``created_at`` and ``closed_at`` of the opportunities won or lost in the period."""
    query = select(Opportunity.owner_id, Opportunity.status, Opportunity.created_at, Opportunity.closed_at).where(
        Opportunity.status.in_(("won", "lost")), Opportunity.closed_at >= STARTS, Opportunity.closed_at < ENDS)
    return within(query, Opportunity.owner_id, Opportunity.customer_id, shape)


def win_rate_by_month(closed: list[Row], report_filter: ReportFilter) -> Report:
    """Opportunities won and lost per month of closing (``closed``: :func:`closed_opportunities`), and won /
    (won + lost) in percent."""
    labels = report_filter.labels
    counts: dict[str, dict[str, int]] = {label: {"won": 0, "lost": 0} for label in labels}
    for opp in closed:
        if (label := report_filter.month_of(opp.closed_at)) in counts:
            counts[label][opp.status] += 1
    won, lost = [counts[label]["won"] for label in labels], [counts[label]["lost"] for label in labels]
    rate = [round(100 * w / (w + n), 1) if w + n else None for w, n in zip(won, lost, strict=True)]
    return Report("win_rate", _("Win rate"), labels, [
        Series(_("Won"), won), Series(_("Lost"), lost),
        Series(_("Win rate %"), rate, axis="y2", kind="line", unit="percent"),
    ], section="kpis", monthly=True, note=_("Opportunities closed in the month; no rate where none closed."))


def sales_cycle_by_month(closed: list[Row], report_filter: ReportFilter) -> Report:
    """Average days from an opportunity's creation to its winning, per month it was won (``closed``:
    :func:`closed_opportunities`)."""
    labels = report_filter.labels
    days: dict[str, list[float]] = defaultdict(list)
    for opp in closed:
        if opp.status == "won":
            days[report_filter.month_of(opp.closed_at)].append(
                (opp.closed_at - opp.created_at).total_seconds() / 86400)
    return Report("sales_cycle", _("Average sales cycle (days)"), labels,
                  [Series(_("Days from creation to won"), [mean(days[label]) if label in days else None
                                                           for label in labels], unit="days")],
                  chart="line", section="kpis", monthly=True,
                  note=_("Opportunities won in the month; none won, no point."))


def follow_up_scores(session: Session, scope: set[int] | None,
                     report_filter: ReportFilter) -> list[tuple[str, int, int]]:
    """(month, attitude, quality) of each follow-up visit within the period."""
    return [(report_filter.month_of(at), attitude, quality) for _owner, at, attitude, quality in session.execute(
        follow_up_statement(shape_of(scope, report_filter)), parameters(scope, report_filter))]


@cache
def follow_up_statement(shape: Shape) -> Select:
    """The customer's owner, time, attitude and quality of each follow-up visit in the period."""
    query = (select(Customer.owner_id, FollowUp.created_at, FollowUp.attitude, FollowUp.quality)
             .join(ServiceOrder, ServiceOrder.id == FollowUp.order_id)
             .join(Customer, Customer.id == ServiceOrder.customer_id)
             .where(FollowUp.created_at >= STARTS, FollowUp.created_at < ENDS))
    return within(query, Customer.owner_id, Customer.id, shape)


def satisfaction_by_month(session: Session, scope: set[int] | None, report_filter: ReportFilter) -> Report:
    """Average follow-up scores (1-5) for attitude and quality, per month of the follow-up visit."""
    labels = report_filter.labels
    scores: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for month, attitude, quality in follow_up_scores(session, scope, report_filter):
        scores[month].append((attitude, quality))
    return Report("satisfaction", _("Service satisfaction (1-5)"), labels, [
        Series(_("Attitude"), [mean(a for a, _quality in scores[label]) if label in scores else None
                               for label in labels], unit="score"),
        Series(_("Quality"), [mean(q for _attitude, q in scores[label]) if label in scores else None
                              for label in labels], unit="score"),
    ], chart="line", section="kpis", monthly=True, note=_("Follow-up visits after service orders."))


def marketing_cost_rows(session: Session, scope: set[int] | None,
                        report_filter: ReportFilter) -> list[tuple[str, str, float]]:
    """(month, kind, amount) of approved visit and reception expense claims claimed within the period, and of
    the campaigns starting in it (company-wide costs: only when no salesperson, team, customer attribute or
    data scope narrows the figures)."""
    shape, values = shape_of(scope, report_filter), parameters(scope, report_filter)
    subjects = {subject: str(name) for subject, name in MARKETING_SUBJECTS.items()}
    rows = [(report_filter.month_of(at), subjects[subject], money(amount))
            for _claimant, at, subject, amount in session.execute(claims_statement(shape), values)]
    if not shape.scoped and not shape.attributes:
        rows += [(report_filter.month_of(day), str(CAMPAIGNS), money(cost))
                 for day, cost in session.execute(CAMPAIGNS_WITHIN, values)]
    return rows


CAMPAIGNS_WITHIN = select(Campaign.starts_on, Campaign.cost).where(Campaign.starts_on >= FIRST,
                                                                   Campaign.starts_on <= LAST)
"""The start day and cost of the campaigns starting in the period."""


@cache
def claims_statement(shape: Shape) -> Select:
    """The claimant, time, subject and approved amount of the marketing expense claims of the period."""
    query = select(ExpenseClaim.claimant_id, ExpenseClaim.created_at, ExpenseClaim.subject,
                   ExpenseClaim.approved_amount).where(
        ExpenseClaim.subject.in_(MARKETING_SUBJECTS), ExpenseClaim.status.in_(("approved", "paid")),
        ExpenseClaim.created_at >= STARTS, ExpenseClaim.created_at < ENDS)
    return within(query, ExpenseClaim.claimant_id, ExpenseClaim.customer_id, shape)


def marketing_cost_by_month(session: Session, scope: set[int] | None, report_filter: ReportFilter) -> Report:
    """Approved expense claims of customer visits and receptions, per month they were claimed."""
    labels = report_filter.labels
    return Report("marketing_cost", _("Marketing cost (campaigns, visits and receptions)"), labels,
                  pivot(marketing_cost_rows(session, scope, report_filter), labels, unit="money"),
                  section="kpis", stacked=True, monthly=True,
                  note=_("Campaign costs in the month the campaign starts (company-wide: not shown for a salesperson, "
                         "team or customer filter) and approved amounts of visit and reception expense claims."))


def kpi_reports(session: Session, scope: set[int] | None, report_filter: ReportFilter) -> list[Report]:
    """The §9 KPIs the data supports, monthly over the period (the closed opportunities read once for the win
    rate and the sales cycle)."""
    closed = closed_opportunities(session, scope, report_filter)
    return [sales_by_month(session, scope, report_filter), win_rate_by_month(closed, report_filter),
            sales_cycle_by_month(closed, report_filter), satisfaction_by_month(session, scope, report_filter),
            marketing_cost_by_month(session, scope, report_filter)]
