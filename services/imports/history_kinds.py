"""Importing what happened before the CRM: open opportunities, activity history and open receivables. Each row
names its customer (registry number or name); the values are checked as the opportunity and plan forms check
them (``crm.field_checks``); records are written by the domain functions. These kinds have no duplicate keys."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session

from crm import field_checks, fields
from crm.accounts.users import User
from crm.customers.models import Contact, Customer
from crm.orders.payments import Payment, PaymentPlan, PaymentPlanLine
from crm.sales.activities import ACTIVITY_KINDS, Activity
from crm.sales.opportunities import STAGE_BY_NUMBER, Opportunity, StageChange, create_opportunity
from i18n import _, _l
from services.sales.opportunity_form import SOURCES

from . import references
from .bulk import insert_returning_ids
from .kinds import ImportField, ImportKind, Keys, Lookups, register
from .record_kinds import CUSTOMER_REF

OWNER = ImportField("owner", _l("Owner"), ("owner", "salesperson", "sales rep", "负责人", "销售", "业务员", "客户经理"))


def _no_matches(_session: Session, keys: Sequence[Keys]) -> list[None]:
    return [None] * len(keys)


def _not_updated(_session: Session, _record_id: int, _values: dict, _by: str) -> dict:
    raise ValueError(_("rows of this kind are never duplicates, so they update nothing"))


def _nothing_to_restore(_session: Session, _record_id: int, _before: dict, _by: str) -> None:
    """Rows of these kinds only create records."""


def _common(session: Session, lookups: Lookups, row: Mapping[str, str], errors: field_checks.FieldErrors) -> dict:
    values: dict = {}
    try:
        values["customer_id"] = references.customer_id(session, lookups, str(row.get("customer") or ""))
    except fields.FieldError as exc:
        errors.add("customer", str(exc))
    try:
        values["owner_id"] = references.user_id(session, lookups, str(row.get("owner") or ""))
    except fields.FieldError as exc:
        errors.add("owner", str(exc))
    return values


OPPORTUNITY_FIELDS = (
    CUSTOMER_REF,
    ImportField("name", _l("Title"),
                ("title", "name", "opportunity", "project", "商机", "商机名称", "项目", "项目名称"), True),
    ImportField("stage", _l("Stage"), ("stage", "phase", "阶段", "销售阶段"), True),
    ImportField("amount", _l("Amount"), ("amount", "value", "expected amount", "金额", "预计金额", "预算"), True),
    ImportField("probability", _l("Probability %"), ("probability", "win probability", "赢率", "成功率", "概率")),
    ImportField("expected_close", _l("Expected close"), ("expected close", "close date", "预计成交日期", "预计签约日期",
                                                      "成交日期")),
    ImportField("source", _l("Source"), ("source", "lead source", "来源", "商机来源")),
    OWNER,
)


def check_opportunity(session: Session, lookups: Lookups, row: Mapping[str, str]) -> tuple[dict, Keys]:
    """Title, stage, amount, probability, expected close and source as the opportunity form checks them."""
    errors = field_checks.FieldErrors()
    values = _common(session, lookups, row, errors)
    values["name"] = field_checks.text(row, "name", errors, max_length=200, required=True, label="title")
    stage = field_checks.whole(row, "stage", errors, minimum=1, maximum=len(STAGE_BY_NUMBER))
    if stage is None:
        errors.add("stage", _("Choose a stage."))
    amount = field_checks.money(row, "amount", errors)
    probability = field_checks.percent(row, "probability", errors)
    closing = field_checks.date(row, "expected_close", errors)
    values["source"] = field_checks.choice(row, "source", errors, SOURCES, required=False)
    if errors:
        raise fields.RecordInvalid(errors)
    values.update(stage=stage, amount=str(amount), probability=int(probability) if probability is not None else None,
                  expected_close=closing.isoformat() if closing else None)
    return values, Keys()


def create_opportunities(session: Session, rows: list[dict], by: str, _summary: str) -> list[int]:
    ids = []
    for v in rows:
        customer = session.get(Customer, v["customer_id"])
        owner = session.get(User, v["owner_id"]) if v["owner_id"] else None
        opp = create_opportunity(
            session, customer, v["name"], Decimal(v["amount"]), by, owner=owner, stage=v["stage"],
            expected_close=dt.date.fromisoformat(v["expected_close"]) if v["expected_close"] else None,
            probability=v["probability"], source=v["source"])
        ids.append(opp.id)
    return ids


def remove_opportunities(session: Session, ids: list[int]) -> None:
    session.execute(delete(StageChange).where(StageChange.opportunity_id.in_(ids)))
    session.execute(delete(Opportunity).where(Opportunity.id.in_(ids)))


def opportunities_in_use(session: Session, ids: list[int]) -> str | None:
    moved = session.scalar(select(exists().where(Opportunity.id.in_(ids), Opportunity.instance_id.is_not(None))))
    changed = session.scalar(select(func.count()).select_from(StageChange).where(StageChange.opportunity_id.in_(ids)))
    if moved or changed > len(ids):
        return _("imported opportunities have been worked on since")
    return None


OPPORTUNITIES = register(ImportKind(
    key="opportunities", label=_l("Opportunities"), fields=OPPORTUNITY_FIELDS, check=check_opportunity,
    matches=_no_matches, create_many=create_opportunities, update_one=_not_updated, model=Opportunity,
    restore=_nothing_to_restore, remove=remove_opportunities, own_tables=("opportunity_stage_change",),
    in_use=opportunities_in_use))


ACTIVITY_FIELDS = (
    CUSTOMER_REF,
    ImportField("kind", _l("Kind"), ("kind", "type", "activity type", "类型", "方式", "活动类型"), True),
    ImportField("subject", _l("Subject"), ("subject", "title", "topic", "主题", "标题", "内容"), True),
    ImportField("date", _l("Date"), ("date", "done on", "when", "日期", "时间", "活动日期"), True),
    ImportField("outcome", _l("Outcome"), ("outcome", "result", "notes", "结果", "记录", "备注")),
    ImportField("contact", _l("Contact"), ("contact", "contact name", "联系人")),
    OWNER,
)
ACTIVITY_WORDS = {"电话": "call", "拜访": "visit", "会议": "meeting", "邮件": "email", "e-mail": "email"}


def check_activity(session: Session, lookups: Lookups, row: Mapping[str, str]) -> tuple[dict, Keys]:
    """Kind, subject, date and outcome as logging an activity checks them; the contact must be the customer's."""
    errors = field_checks.FieldErrors()
    values = _common(session, lookups, row, errors)
    kind = str(row.get("kind") or "").strip().lower()
    values["kind"] = ACTIVITY_WORDS.get(kind, kind)
    if values["kind"] not in ACTIVITY_KINDS:
        errors.add("kind", _("choose one of %(kinds)s", kinds=", ".join(map(str, ACTIVITY_KINDS.values()))))
    values["subject"] = field_checks.text(row, "subject", errors, max_length=300, required=True)
    values["outcome"] = field_checks.text(row, "outcome", errors, max_length=2000)
    day = field_checks.date(row, "date", errors, required=True)
    contact = str(row.get("contact") or "").strip()
    values["contact_id"] = None
    if contact and values.get("customer_id"):
        values["contact_id"] = session.scalar(select(Contact.id).where(
            Contact.customer_id == values["customer_id"], Contact.name == contact).limit(1))
        if values["contact_id"] is None:
            errors.add("contact", _("no contact “%(name)s” at this customer", name=contact))
    if errors:
        raise fields.RecordInvalid(errors)
    values["date"] = day.isoformat()
    return values, Keys()


def create_activities(session: Session, rows: list[dict], _by: str, _summary: str) -> list[int]:
    records = [{"customer_id": v["customer_id"], "contact_id": v["contact_id"], "opportunity_id": None,
                "kind": v["kind"], "subject": v["subject"], "status": "done", "planned_for": None,
                "done_at": dt.datetime.combine(dt.date.fromisoformat(v["date"]), dt.time(12)), "outcome": v["outcome"],
                "next_action": "", "next_action_date": None, "owner_id": v["owner_id"], "instance_id": None,
                "created_at": dt.datetime.combine(dt.date.fromisoformat(v["date"]), dt.time(12))} for v in rows]
    return insert_returning_ids(session, Activity.__table__, records)


def remove_activities(session: Session, ids: list[int]) -> None:
    session.execute(delete(Activity).where(Activity.id.in_(ids)))


ACTIVITIES = register(ImportKind(
    key="activities", label=_l("Activity history"), fields=ACTIVITY_FIELDS, check=check_activity, matches=_no_matches,
    create_many=create_activities, update_one=_not_updated, model=Activity, restore=_nothing_to_restore,
    remove=remove_activities))


RECEIVABLE_FIELDS = (
    CUSTOMER_REF,
    ImportField("title", _l("Reference"), ("reference", "title", "contract", "contract number", "invoice", "合同",
                                       "合同编号", "发票号", "单号"), True),
    ImportField("label", _l("Instalment"), ("instalment", "installment", "label", "term", "款项", "期次", "付款阶段")),
    ImportField("due_date", _l("Due date"), ("due date", "due", "到期日", "应收日期", "付款日期"), True),
    ImportField("amount", _l("Amount"), ("amount", "receivable", "金额", "应收金额"), True),
    ImportField("paid_amount", _l("Paid"), ("paid", "paid amount", "received", "已收金额", "已付金额", "已收")),
)


def check_receivable(session: Session, lookups: Lookups, row: Mapping[str, str]) -> tuple[dict, Keys]:
    """An open amount: reference, due date, amount and what is paid of it (less than the amount)."""
    errors = field_checks.FieldErrors()
    values = _common(session, lookups, {**row, "owner": ""}, errors)
    values["title"] = field_checks.text(row, "title", errors, max_length=200, required=True, label="reference")
    values["label"] = field_checks.text(row, "label", errors, max_length=200) or values["title"]
    due = field_checks.date(row, "due_date", errors, required=True)
    amount = field_checks.money(row, "amount", errors)
    paid = field_checks.money(row, "paid_amount", errors, required=False) or Decimal("0.00")
    if amount is not None and paid >= amount and "paid_amount" not in errors:
        errors.add("paid_amount", _("Paid in full: nothing is open to import."))
    if errors:
        raise fields.RecordInvalid(errors)
    values.update(due_date=due.isoformat(), amount=str(amount), paid_amount=str(paid))
    return values, Keys()


def create_receivables(session: Session, rows: list[dict], by: str, _summary: str) -> list[int]:
    ids = []
    for v in rows:
        paid = Decimal(v["paid_amount"])
        plan = PaymentPlan(customer_id=v["customer_id"], title=v["title"], created_by=by)
        plan.lines.append(PaymentPlanLine(position=1, label=v["label"], due_date=dt.date.fromisoformat(v["due_date"]),
                                          amount=Decimal(v["amount"]), paid_amount=paid,
                                          status="partially_paid" if paid else "open"))
        session.add(plan)
        session.flush()
        ids.append(plan.id)
    return ids


def remove_receivables(session: Session, ids: list[int]) -> None:
    session.execute(delete(PaymentPlanLine).where(PaymentPlanLine.plan_id.in_(ids)))
    session.execute(delete(PaymentPlan).where(PaymentPlan.id.in_(ids)))


def receivables_in_use(session: Session, ids: list[int]) -> str | None:
    lines = select(PaymentPlanLine.id).where(PaymentPlanLine.plan_id.in_(ids))
    if session.scalar(select(exists().where(PaymentPlanLine.plan_id.in_(ids),
                                            PaymentPlanLine.collection_instance_id.is_not(None)))) or \
            session.scalar(select(exists().where(Payment.plan_line_id.in_(lines)))):
        return _("payments are being collected or recorded on imported receivables")
    return None


RECEIVABLES = register(ImportKind(
    key="receivables", label=_l("Open receivables"), fields=RECEIVABLE_FIELDS, check=check_receivable,
    matches=_no_matches, create_many=create_receivables, update_one=_not_updated, model=PaymentPlan,
    restore=_nothing_to_restore, remove=remove_receivables, own_tables=("payment_plan_line",),
    in_use=receivables_in_use))
