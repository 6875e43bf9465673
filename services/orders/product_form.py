"""A catalogue entry as typed (API or import): code, name, kind, unit, price, skill, description, each checked
against its column; a code already used by another entry is refused."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm import field_checks as check
from crm.orders.catalog import PRODUCT_KINDS, Product
from i18n import _

DESCRIPTION_MAX = 2000
"""A description longer than this is not a product description (the column itself is unbounded text)."""


def read(session: Session, form: Mapping[str, str], product: Product | None = None) -> tuple[dict, check.FieldErrors]:
    """(values, errors) of a product form; ``product`` is the entry being changed (its own code is no clash)."""
    errors = check.FieldErrors()
    values = {
        "code": check.text(form, "code", errors, max_length=50, required=True),
        "name": check.text(form, "name", errors, max_length=200, required=True),
        "kind": check.choice(form, "kind", errors, set(PRODUCT_KINDS)),
        "unit": check.text(form, "unit", errors, max_length=20, required=True),
        "unit_price": check.money(form, "unit_price", errors),
        "skill": check.text(form, "skill", errors, max_length=50),
        "description": check.text(form, "description", errors, max_length=DESCRIPTION_MAX),
    }
    if values["code"] and "code" not in errors:
        taken = session.scalar(select(Product.id).where(Product.code == values["code"]))
        if taken is not None and (product is None or taken != product.id):
            errors.add("code", _("Another catalogue entry (#%(id)s) has this code.", id=taken))
    return values, errors
