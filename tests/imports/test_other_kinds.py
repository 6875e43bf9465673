"""Contacts, products, opportunities, activity history and open receivables through the same wizard: mapped by
their headers, checked by their forms' rules, imported, and undone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from crm.accounts.users import User
from crm.customers.models import Contact
from crm.customers.records import create_customer
from crm.orders.catalog import Product, add_product
from crm.orders.payments import PaymentPlan, PaymentPlanLine
from crm.sales.activities import Activity
from crm.sales.opportunities import Opportunity
from tests.imports.test_wizard_flow import batch_of, dry_run, upload

CASES = {
    "contacts": ("客户名称,联系人,职务,手机,邮箱,主要联系人\n"
                 "东海重工有限公司,王建国,采购经理,13800138000,wang@donghai.example.com,是\n"
                 "东海重工,李伟,工程师,13800138001,li@donghai.example.com,\n"
                 "东海重工,王建国,,,,\n"
                 "不存在的公司,张三,,,,\n", Contact, (1, 4, 1, 2)),
    "products": ("产品编码,产品名称,单价,类型\nP-100,Winch,1200.50,产品\nP-200,Install service,300,服务\n"
                 "P-100,Winch v2,1300,产品\nP-300,Bad price,abc,产品\n", Product, (2, 4, 1, 1)),
    "opportunities": ("Customer,Opportunity,Stage,Amount,Expected close,Owner\n"
                      "东海重工,Crane retrofit,3,\"250,000.00\",2027-03-31,sales\n"
                      "东海重工,Bad stage,12,100,,\n", Opportunity, (1, 2, 1, 0)),
    "activities": ("客户,类型,主题,日期,结果,联系人\n东海重工,拜访,Factory tour,2026-11-02,Good,王建国\n"
                   "东海重工,call,Follow-up,2026-11-09,,\n东海重工,fax,Old,2026-01-01,,\n", Activity, (2, 3, 1, 0)),
    "receivables": ("客户,合同编号,到期日,应收金额,已收金额\n东海重工,HT-2026-001,2026-12-31,50000,20000\n"
                    "东海重工,HT-2026-002,2027-01-31,10000,10000\n", PaymentPlan, (1, 2, 1, 0)),
}


@pytest.mark.parametrize("kind", list(CASES))
def test_kind_is_imported_and_undone(kind, app, platform, login, settle_jobs, tmp_uploads):
    content, model, (created, total, errors, duplicates) = CASES[kind]
    with platform.sessions.begin() as session:
        sales = session.scalar(select(User).where(User.username == "sales"))
        customer = create_customer(session, {"company": "东海重工有限公司"}, sales, "test")
        session.add(Contact(customer=customer, name="王建国", updated_by="test"))
        add_product(session, "P-900", "Existing", Decimal("1"))
    with platform.sessions() as session:
        before = session.scalar(select(func.count()).select_from(model))
    info = login("admin")
    batch_id = upload(info, content.encode("utf-8"), f"{kind}.csv", kind)
    mapping = {int(i): name for i, name in batch_of(platform, batch_id).mapping.items()}
    assert len(mapping) == len(content.splitlines()[0].split(","))  # every header recognised
    batch = dry_run(info, platform, settle_jobs, batch_id, mapping)
    assert (batch.status, batch.total_rows, batch.error_rows) == ("checked", total, errors)
    info.post(f"/imports/{batch_id}/run")
    settle_jobs()
    batch = batch_of(platform, batch_id)
    assert (batch.status, batch.created_count, batch.skipped_count) == ("done", created, duplicates)
    with platform.sessions() as session:
        assert session.scalar(select(func.count()).select_from(model)) == before + created
        if kind == "receivables":
            line = session.scalar(select(PaymentPlanLine))
            assert (line.amount, line.paid_amount, line.status, line.due_date) == (
                Decimal("50000.00"), Decimal("20000.00"), "partially_paid", dt.date(2026, 12, 31))
    assert info.post(f"/imports/{batch_id}/undo").status_code == 302
    assert batch_of(platform, batch_id).status == "undone"
    with platform.sessions() as session:
        assert session.scalar(select(func.count()).select_from(model)) == before
