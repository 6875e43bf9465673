"""Customers and their contacts: the company's asset, kept when a salesperson leaves."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.accounts.users import User
from crm.base import CrmBase, utcnow

GRADES = ("key", "ordinary", "prospect")
RELATIONSHIP_TYPES = ("relationship", "occasional")
CUSTOMER_STATUSES = ("active", "dormant", "lost")


class Customer(CrmBase):
    __tablename__ = "customer"

    id: Mapped[int] = mapped_column(primary_key=True)
    company: Mapped[str] = mapped_column(String(200), index=True)
    industry: Mapped[str] = mapped_column(String(100), default="", index=True)
    size: Mapped[str] = mapped_column(String(50), default="")
    region: Mapped[str] = mapped_column(String(100), default="", index=True)
    source: Mapped[str] = mapped_column(String(100), default="")
    grade: Mapped[str] = mapped_column(String(20), default="prospect", index=True)
    relationship_type: Mapped[str] = mapped_column(String(20), default="occasional")
    status: Mapped[str] = mapped_column(String(20), default="active")
    phone: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    in_roster: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    owner: Mapped[User | None] = relationship()
    contacts: Mapped[list[Contact]] = relationship(back_populates="customer", order_by="Contact.name")


class Contact(CrmBase):
    __tablename__ = "contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    mobile: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    opt_out: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    customer: Mapped[Customer] = relationship(back_populates="contacts")
