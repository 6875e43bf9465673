"""Customers and their contacts: the company's asset, kept when a salesperson leaves."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from crm.accounts.users import User
from crm.base import CrmBase, utcnow
from crm.customers.names import INITIALS_LENGTH, PINYIN_LENGTH, name_key, pinyin_keys
from i18n import _l, _lp

GRADES = ("key", "ordinary", "prospect")
RELATIONSHIP_TYPES = ("relationship", "occasional")
CUSTOMER_STATUSES = ("active", "dormant", "lost")
GRADE_LABELS = {"key": _l("Key customer"), "ordinary": _l("Ordinary customer"), "prospect": _l("Prospect")}
RELATIONSHIP_LABELS = {"relationship": _l("Long-term relationship"), "occasional": _l("Occasional")}
STATUS_LABELS = {"active": _lp("customer status", "Active"), "dormant": _l("Dormant"),
                 "lost": _lp("customer status", "Lost")}
"""How grades, relationship types and statuses are shown (the stored values are the keys)."""


class Customer(CrmBase):
    """A customer company. Never deleted: deactivated, or merged into the record that survives it.

    ``version`` is the optimistic lock (SQLAlchemy's version counter): a save over a newer row fails.
    """

    __tablename__ = "customer"

    id: Mapped[int] = mapped_column(primary_key=True)
    company: Mapped[str] = mapped_column(String(200), index=True)
    name_key: Mapped[str] = mapped_column(String(200), default="", server_default="", index=True)
    """The company name normalised for duplicate checks (see :func:`crm.customers.names.name_key`)."""
    name_pinyin: Mapped[str] = mapped_column(String(PINYIN_LENGTH), default="", server_default="", index=True)
    """The company name in pinyin (search and sorting; see :func:`crm.customers.names.pinyin_keys`)."""
    name_initials: Mapped[str] = mapped_column(String(INITIALS_LENGTH), default="", server_default="")
    """The initials of the company name's pinyin (``bjsj`` finds 北京世纪…)."""
    registry_number: Mapped[str] = mapped_column(String(50), default="", server_default="", index=True)
    """Unified social credit code (统一社会信用代码) or another registry's number."""
    industry: Mapped[str] = mapped_column(String(100), default="", index=True)
    size: Mapped[str] = mapped_column(String(50), default="")
    region: Mapped[str] = mapped_column(String(100), default="", index=True)
    source: Mapped[str] = mapped_column(String(100), default="")
    grade: Mapped[str] = mapped_column(String(20), default="prospect", index=True)
    relationship_type: Mapped[str] = mapped_column(String(20), default="occasional")
    status: Mapped[str] = mapped_column(String(20), default="active")
    phone: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    website: Mapped[str] = mapped_column(String(200), default="", server_default="")
    address: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    in_roster: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id"))
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(100), default="", server_default="")

    owner: Mapped[User | None] = relationship()
    contacts: Mapped[list[Contact]] = relationship(
        back_populates="customer", order_by=lambda: (Contact.is_main.desc(), Contact.name_pinyin, Contact.name))

    __mapper_args__ = {"version_id_col": version}

    @validates("company")
    def _keep_name_key(self, _key: str, company: str) -> str:
        self.name_key = name_key(company)
        self.name_pinyin, self.name_initials = pinyin_keys(company)
        return company

    @property
    def active_contacts(self) -> list[Contact]:
        return [c for c in self.contacts if c.active]


class Contact(CrmBase):
    """A person at a customer; deactivated when they leave (processes and history may name them)."""

    __tablename__ = "contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_pinyin: Mapped[str] = mapped_column(String(PINYIN_LENGTH), default="", server_default="", index=True)
    """The name in pinyin (search and sorting)."""
    name_initials: Mapped[str] = mapped_column(String(INITIALS_LENGTH), default="", server_default="")
    title: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    mobile: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    is_main: Mapped[bool] = mapped_column(default=False, server_default=false())
    opt_out: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime | None] = mapped_column(onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(100), default="", server_default="")

    customer: Mapped[Customer] = relationship(back_populates="contacts")

    __mapper_args__ = {"version_id_col": version}

    @validates("name")
    def _keep_pinyin(self, _key: str, name: str) -> str:
        self.name_pinyin, self.name_initials = pinyin_keys(name)
        return name
