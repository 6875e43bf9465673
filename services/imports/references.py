"""References an import row names by text: a user (username or display name), a customer (registry number or
company name, compared as the duplicate check compares names)."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from crm.accounts.users import User
from crm.customers.models import Customer
from crm.customers.names import name_key
from crm.fields import FieldError
from i18n import _

from .kinds import Lookups


def user_id(session: Session, lookups: Lookups, text: str) -> int | None:
    """The active user named ``text`` (username or display name); "" names nobody."""
    text = text.strip()
    if not text:
        return None
    found = lookups.get("user", text.casefold(), lambda: session.scalar(
        select(User.id).where(User.active.is_(True),
                              or_(User.username == text, User.display_name == text)).limit(1)))
    if found is None:
        raise FieldError(_("no active user “%(name)s”", name=text))
    return found


def customer_id(session: Session, lookups: Lookups, text: str) -> int:
    """The customer (not merged away) with registry number or company name ``text``."""
    text = text.strip()
    if not text:
        raise FieldError(_("required"))
    key = name_key(text)
    found = lookups.get("customer", text, lambda: session.scalar(
        select(Customer.id).where(Customer.merged_into_id.is_(None),
                                  or_(Customer.registry_number == text.upper(), Customer.name_key == key))
        .order_by(Customer.active.desc(), Customer.id).limit(1)))
    if found is None:
        raise FieldError(_("no customer with registry number or name “%(name)s”", name=text))
    return found
