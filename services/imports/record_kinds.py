"""Importing contacts (checked by the contact form's :func:`crm.customers.records.contact_values`, duplicates by
e-mail, phone or the same name at the same customer) and products (code, name, price; a code that exists is a
duplicate, never created twice)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from sqlalchemy import delete, func, or_, select, tuple_, update
from sqlalchemy.orm import Session

from crm import field_checks, fields
from crm.base import utcnow
from crm.customers.history import CustomerEvent
from crm.customers.models import Contact
from crm.customers.records import contact_values, update_contact
from crm.orders.catalog import PRODUCT_KINDS, Product
from i18n import _, _l, _lp

from . import references
from .bulk import insert_many, insert_returning_ids
from .kinds import ImportField, ImportKind, Keys, Lookups, register

CUSTOMER_REF = ImportField("customer", _l("Customer"), ("customer", "company", "customer name", "客户", "客户名称",
                                                    "公司", "公司名称", "单位名称"), True)
CONTACT_FIELDS = (
    CUSTOMER_REF,
    ImportField("name", _lp("person", "Name"),
                ("name", "contact", "contact name", "person", "姓名", "联系人", "联系人姓名"), True),
    ImportField("title", _l("Title"), ("title", "position", "job title", "职位", "职务", "岗位")),
    ImportField("phone", _l("Phone"), ("phone", "telephone", "tel", "office phone", "电话", "座机", "办公电话")),
    ImportField("mobile", _l("Mobile"), ("mobile", "cell", "cellphone", "mobile phone", "手机", "手机号", "移动电话")),
    ImportField("email", _l("E-mail"), ("email", "e-mail", "mail", "邮箱", "电子邮箱", "电子邮件")),
    ImportField("is_main", _l("Main contact"), ("main", "main contact", "primary", "主要联系人", "首要联系人")),
)
CONTACT_WRITABLE = ("name", "title", "phone", "mobile", "email", "is_main")
YES = ("1", "true", "yes", "y", "on", "是", "√", "x")


def check_contact(session: Session, lookups: Lookups, row: Mapping[str, str]) -> tuple[dict, Keys]:
    """The contact form's values, its customer's id, and keys: e-mail, phone (mobile first), customer+name."""
    errors: dict[str, str] = {}
    form = {**row, "is_main": "1" if str(row.get("is_main") or "").strip().lower() in YES else ""}
    try:
        values: dict = contact_values(form)
    except fields.RecordInvalid as exc:
        values, errors = {}, dict(exc.errors)
    try:
        values["customer_id"] = references.customer_id(session, lookups, str(row.get("customer") or ""))
    except fields.FieldError as exc:
        errors["customer"] = str(exc)
    if errors:
        raise fields.RecordInvalid(errors)
    values["_given"] = sorted(name for name, text in row.items() if str(text or "").strip())
    return values, Keys("", f"{values['customer_id']}:{values['name'].casefold()}"[:200],
                        values["mobile"] or values["phone"], values["email"].lower())


def contact_matches(session: Session, keys: Sequence[Keys]) -> list[tuple[str, str, int] | None]:
    """The first existing active contact with the same customer and name, phone or e-mail."""
    pairs = {(int(k.name.split(":", 1)[0]), k.name.split(":", 1)[1]) for k in keys if k.name}
    phones = {k.phone for k in keys if k.phone}
    emails = {k.email for k in keys if k.email}
    by_name, by_phone, by_email = {}, {}, {}
    live = Contact.active.is_(True)
    if pairs:
        for cid, name, contact_id in session.execute(
                select(Contact.customer_id, func.lower(Contact.name), Contact.id)
                .where(tuple_(Contact.customer_id, func.lower(Contact.name)).in_(list(pairs)), live)
                .order_by(Contact.id)):
            by_name.setdefault(f"{cid}:{name}", contact_id)
    if phones:
        for phone, mobile, contact_id in session.execute(
                select(Contact.phone, Contact.mobile, Contact.id)
                .where(or_(Contact.phone.in_(phones), Contact.mobile.in_(phones)), live).order_by(Contact.id)):
            for number in (mobile, phone):
                by_phone.setdefault(number, contact_id)
    if emails:
        for email, contact_id in session.execute(select(func.lower(Contact.email), Contact.id)
                                                 .where(func.lower(Contact.email).in_(emails), live)
                                                 .order_by(Contact.id)):
            by_email.setdefault(email, contact_id)
    found = []
    for k in keys:
        hit = next(((reason, key, table[key]) for reason, key, table in (
            ("name", k.name, by_name), ("phone", k.phone, by_phone), ("email", k.email, by_email))
            if key and key in table), None)
        found.append(hit)
    return found


def create_contacts(session: Session, rows: list[dict], by: str, summary: str) -> list[int]:
    """Insert the contacts and a "contact added" line on each customer's history."""
    now = utcnow()
    records = [{**{name: values[name] for name in CONTACT_WRITABLE}, "customer_id": values["customer_id"],
                "opt_out": False, "active": True, "version": 1, "created_at": now, "updated_by": by}
               for values in rows]
    ids = insert_returning_ids(session, Contact.__table__, records)
    insert_many(session, CustomerEvent.__table__, [
        {"customer_id": r["customer_id"], "kind": "contact_added", "by": by, "summary": r["name"][:500], "at": now}
        for r in records])
    for new_id, record in zip(ids, records, strict=True):  # one main contact per customer: the imported one
        if record["is_main"]:
            session.execute(update(Contact).where(Contact.customer_id == record["customer_id"], Contact.id != new_id)
                            .values(is_main=False))
    return ids


def update_contact_row(session: Session, record_id: int, values: dict, by: str) -> dict:
    """Write the row's given values over the contact (the contact form's function); returns what they replaced."""
    contact = session.get(Contact, record_id)
    given = set(values.get("_given", ()))
    new = {name: values[name] for name in CONTACT_WRITABLE if name in given and values.get(name) not in ("", None)}
    before = {name: getattr(contact, name) for name in new}
    return {name: before[name] for name in update_contact(session, contact, new, None, by)}


def restore_contact(session: Session, record_id: int, before: dict, by: str) -> None:
    contact = session.get(Contact, record_id)
    if contact is not None and before:
        update_contact(session, contact, before, None, by)


def remove_contacts(session: Session, ids: list[int]) -> None:
    for customer_id, name in session.execute(select(Contact.customer_id, Contact.name).where(Contact.id.in_(ids))):
        session.execute(delete(CustomerEvent).where(
            CustomerEvent.customer_id == customer_id, CustomerEvent.kind == "contact_added",
            CustomerEvent.summary == name))
    session.execute(delete(Contact).where(Contact.id.in_(ids)))


CONTACTS = register(ImportKind(
    key="contacts", label=_l("Contacts"), fields=CONTACT_FIELDS, check=check_contact, matches=contact_matches,
    create_many=create_contacts, update_one=update_contact_row, model=Contact, restore=restore_contact,
    remove=remove_contacts))


PRODUCT_FIELDS = (
    ImportField("code", _l("Code"), ("code", "product code", "item code", "sku", "part number", "编码", "产品编码",
                                 "物料编码", "型号", "货号"), True),
    ImportField("name", _l("Name"), ("name", "product", "product name", "item", "名称", "产品名称", "品名"), True),
    ImportField("kind", _l("Kind"), ("kind", "type", "category", "类型", "类别")),
    ImportField("unit", _l("Unit"), ("unit", "uom", "单位", "计量单位")),
    ImportField("unit_price", _l("Unit price"), ("price", "unit price", "list price", "单价", "价格", "标准价"), True),
    ImportField("skill", _l("Skill"), ("skill", "技能", "所需技能")),
    ImportField("description", _l("Description"), ("description", "details", "描述", "说明", "备注")),
)
PRODUCT_KIND_WORDS = {"产品": "product", "product": "product", "服务": "service_item", "service": "service_item",
                      "service item": "service_item", "service_item": "service_item"}
PRODUCT_WRITABLE = ("code", "name", "kind", "unit", "unit_price", "skill", "description")


def check_product(_session: Session, _lookups: Lookups, row: Mapping[str, str]) -> tuple[dict, Keys]:
    """Code, name, kind, unit and price checked as the quote forms check them (``crm.field_checks``)."""
    errors = field_checks.FieldErrors()
    values: dict = {
        "code": field_checks.text(row, "code", errors, max_length=50, required=True),
        "name": field_checks.text(row, "name", errors, max_length=200, required=True),
        "unit": field_checks.text(row, "unit", errors, max_length=20) or "pc",
        "skill": field_checks.text(row, "skill", errors, max_length=50),
        "description": field_checks.text(row, "description", errors, max_length=5000),
    }
    kind = str(row.get("kind") or "").strip().lower()
    values["kind"] = PRODUCT_KIND_WORDS.get(kind, kind) or "product"
    if values["kind"] not in PRODUCT_KINDS:
        errors.add("kind", _("Choose product or service item."))
    price = field_checks.money(row, "unit_price", errors)
    if errors:
        raise fields.RecordInvalid(errors)
    values["unit_price"] = str(price)
    values["_given"] = sorted(name for name, text in row.items() if str(text or "").strip())
    return values, Keys(registry=values["code"])


def product_matches(session: Session, keys: Sequence[Keys]) -> list[tuple[str, str, int] | None]:
    codes = {k.registry for k in keys if k.registry}
    found = {}
    if codes:
        found = dict(session.execute(select(Product.code, Product.id).where(Product.code.in_(codes))).all())
    return [("code", k.registry, found[k.registry]) if k.registry in found else None for k in keys]


def create_products(session: Session, rows: list[dict], _by: str, _summary: str) -> list[int]:
    records = [{**{name: values[name] for name in PRODUCT_WRITABLE}, "unit_price": Decimal(values["unit_price"]),
                "active": True} for values in rows]
    return insert_returning_ids(session, Product.__table__, records)


def update_product(session: Session, record_id: int, values: dict, _by: str) -> dict:
    product = session.get(Product, record_id)
    given = set(values.get("_given", ()))
    before = {}
    for name in PRODUCT_WRITABLE:
        if name in given and name != "code":
            new = Decimal(values[name]) if name == "unit_price" else values[name]
            if getattr(product, name) != new:
                before[name] = str(getattr(product, name)) if name == "unit_price" else getattr(product, name)
                setattr(product, name, new)
    session.flush()
    return before


def restore_product(session: Session, record_id: int, before: dict, _by: str) -> None:
    product = session.get(Product, record_id)
    for name, value in before.items():
        setattr(product, name, Decimal(value) if name == "unit_price" else value)
    session.flush()


def remove_products(session: Session, ids: list[int]) -> None:
    session.execute(delete(Product).where(Product.id.in_(ids)))


PRODUCTS = register(ImportKind(
    key="products", label=_l("Products"), fields=PRODUCT_FIELDS, check=check_product, matches=product_matches,
    create_many=create_products, update_one=update_product, model=Product, restore=restore_product,
    remove=remove_products, unique_key=True, reasons=("code", "name", "phone", "email")))
