"""Importing customers: checked by :func:`crm.customers.records.customer_values` (the customer form's check),
duplicates found as the customer form finds them (registry number, normalised name, phone, e-mail), written in
bulk with a "created" line on each record's history."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from crm import fields
from crm.base import utcnow
from crm.customers.history import CustomerEvent
from crm.customers.models import Customer
from crm.customers.names import name_key
from crm.customers.records import customer_values, update_customer
from engine.models import ProcessInstance
from i18n import _, _l
from services.customers.duplicates import first_matches

from . import references
from .bulk import insert_many, insert_returning_ids
from .kinds import ImportField, ImportKind, Keys, Lookups, register

FIELDS = (
    ImportField("company", _l("Company"), ("company", "customer", "customer name", "name", "company name",
                                       "公司", "公司名称", "客户", "客户名称", "单位名称", "企业名称"), True),
    ImportField("registry_number", _l("Registry number"), ("registry number", "registry no", "uscc",
                                                        "unified social credit code", "tax id", "统一社会信用代码",
                                                        "信用代码", "税号", "注册号")),
    ImportField("industry", _l("Industry"), ("industry", "sector", "行业", "所属行业")),
    ImportField("size", _l("Size"), ("size", "company size", "employees", "规模", "企业规模", "人数")),
    ImportField("region", _l("Region"), ("region", "area", "province", "city", "地区", "区域", "省份", "城市")),
    ImportField("source", _l("Source"), ("source", "lead source", "来源", "客户来源")),
    ImportField("phone", _l("Phone"), ("phone", "telephone", "tel", "电话", "联系电话", "座机")),
    ImportField("email", _l("E-mail"), ("email", "e-mail", "mail", "邮箱", "电子邮箱", "电子邮件")),
    ImportField("website", _l("Website"), ("website", "web", "url", "homepage", "网站", "网址", "主页")),
    ImportField("address", _l("Address"), ("address", "地址", "公司地址", "详细地址")),
    ImportField("grade", _l("Grade"), ("grade", "level", "class", "等级", "客户等级", "级别")),
    ImportField("relationship_type", _l("Relationship"), ("relationship", "relationship type", "关系", "关系类型")),
    ImportField("owner", _l("Owner"), ("owner", "salesperson", "sales rep", "account manager", "负责人", "销售",
                                   "业务员", "客户经理")),
)
WRITABLE = ("company", "registry_number", "industry", "size", "region", "source", "phone", "email", "website",
            "address", "grade", "relationship_type", "owner_id")
GRADE_WORDS = {"重点": "key", "重点客户": "key", "普通": "ordinary", "普通客户": "ordinary", "潜在": "prospect",
               "潜在客户": "prospect"}
RELATIONSHIP_WORDS = {"关系型": "relationship", "关系": "relationship", "偶然型": "occasional", "偶然": "occasional"}


def check(session: Session, lookups: Lookups, row: Mapping[str, str]) -> tuple[dict, Keys]:
    """The row's customer values (the form's rules), its owner's id and its duplicate keys."""
    form = dict(row)
    for name, words in (("grade", GRADE_WORDS), ("relationship_type", RELATIONSHIP_WORDS)):
        text = str(form.get(name) or "").strip()
        form[name] = words.get(text, text.lower())
    errors: dict[str, str] = {}
    try:
        values: dict = customer_values(form)
    except fields.RecordInvalid as exc:
        values, errors = {}, dict(exc.errors)
    try:
        values["owner_id"] = references.user_id(session, lookups, str(row.get("owner") or ""))
    except fields.FieldError as exc:
        errors["owner"] = str(exc)
    if errors:
        raise fields.RecordInvalid(errors)
    given = {name for name, text in row.items() if str(text or "").strip()}
    values["_given"] = sorted(given)
    return values, Keys(values["registry_number"], name_key(values["company"]), values["phone"],
                        values["email"].lower())


def matches(session: Session, keys: Sequence[Keys]) -> list[tuple[str, str, int] | None]:
    """Each row's first existing duplicate (see :func:`services.customers.duplicates.first_matches`)."""
    return first_matches(session, [(k.registry, k.name, k.phone, k.email) for k in keys])


def _record(values: dict, by: str, now) -> dict:
    row = {name: values.get(name, "") for name in WRITABLE}
    row.update(owner_id=values.get("owner_id"), name_key=name_key(values["company"]), updated_by=by,
               created_at=now, updated_at=now, version=1, active=True, in_roster=False, status="active",
               merged_into_id=None)
    return row


def create_many(session: Session, rows: list[dict], by: str, summary: str) -> list[int]:
    """Insert the customers in one statement per chunk, and their "created" history lines."""
    if not rows:
        return []
    now = utcnow()
    ids = insert_returning_ids(session, Customer.__table__, [_record(values, by, now) for values in rows])
    insert_many(session, CustomerEvent.__table__, [{"customer_id": cid, "kind": "created", "by": by,
                                                    "summary": summary[:500], "at": now} for cid in ids])
    return ids


def update_one(session: Session, record_id: int, values: dict, by: str) -> dict:
    """Write the row's non-empty values over the customer (the edit form's function); returns what they replaced."""
    customer = session.get(Customer, record_id)
    given = set(values.get("_given", ())) | {"owner_id"}
    new = {name: values[name] for name in WRITABLE if name in given and values.get(name) not in ("", None)}
    before = {name: getattr(customer, name) for name in new}
    changed = update_customer(session, customer, new, None, by)
    return {name: before[name] for name in changed}


def restore(session: Session, record_id: int, before: dict, by: str) -> None:
    """Put back the values an import replaced."""
    customer = session.get(Customer, record_id)
    if customer is not None and before:
        update_customer(session, customer, before, None, by)


def in_use(session: Session, ids: list[int]) -> str | None:
    """A process started about an imported customer makes the import final."""
    if session.scalar(select(exists().where(ProcessInstance.customer_id.in_(ids)))):
        return _("a process has been started about an imported customer")
    return None


def remove(session: Session, ids: list[int]) -> None:
    session.execute(delete(CustomerEvent).where(CustomerEvent.customer_id.in_(ids)))
    session.execute(delete(Customer).where(Customer.id.in_(ids)))


CUSTOMERS = register(ImportKind(
    key="customers", label=_l("Customers"), fields=FIELDS, check=check, matches=matches, create_many=create_many,
    update_one=update_one, model=Customer, restore=restore, remove=remove, in_use=in_use))
